// Portable draws: see random_draws.h for why nothing here calls libm's
// transcendental functions or the standard distributions.
#include "generate/random_draws.h"

#include <cmath>
#include <limits>

namespace earshot::generate {
namespace {

constexpr uint64_t Fmix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (Cody and Waite).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kLn2 = 0.69314718055994530942;

}  // namespace

uint64_t Mix(uint64_t a, uint64_t b) {
  return Fmix64(Fmix64(a + 0x9e3779b97f4a7c15ULL) ^ (b * 0xd6e8feb86659fd93ULL + 0x2545f4914f6cdd1dULL));
}

double PortableExp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.0) return std::numeric_limits<double>::infinity();
  if (x < -745.0) return 0.0;
  const double k = std::floor(x * (1.0 / kLn2) + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;  // |r| <= 0.35
  // Taylor series to r^14 / 14!: the next term is below 1e-17.
  double sum = 1.0;
  for (int n = 14; n >= 1; --n) sum = 1.0 + sum * r / n;
  return std::ldexp(sum, static_cast<int>(k));
}

double PortableLog(double x) {
  if (!(x > 0)) return x == 0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2;
    --e;
  }
  // log(m) = 2 atanh(f), f = (m - 1) / (m + 1), |f| <= 0.172.
  const double f = (m - 1) / (m + 1);
  const double f2 = f * f;
  double series = 0;
  for (int n = 23; n >= 3; n -= 2) series = (series + 1.0 / n) * f2;
  const double log_m = 2 * f * (1 + series);
  return e * kLn2Hi + (log_m + e * kLn2Lo);
}

Random::Random(uint64_t seed) {
  for (uint64_t& word : s_) {
    seed += 0x9e3779b97f4a7c15ULL;
    word = Fmix64(seed);
  }
}

uint64_t Random::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Random::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  double u = 0, v = 0, s = 0;
  do {
    u = 2 * Uniform() - 1;
    v = 2 * Uniform() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  const double factor = std::sqrt(-2 * PortableLog(s) / s);
  spare_normal_ = v * factor;
  has_spare_ = true;
  return u * factor;
}

uint64_t Random::Poisson(double mean) {
  if (!(mean > 0)) return 0;
  if (mean < 12) {
    // Inversion: walk the cumulative distribution.
    double p = PortableExp(-mean);
    double u = Uniform();
    uint64_t k = 0;
    while (u > p && k < 1000) {
      u -= p;
      ++k;
      p *= mean / static_cast<double>(k);
    }
    return k;
  }
  const double x = std::floor(mean + std::sqrt(mean) * Normal() + 0.5);
  return x <= 0 ? 0 : static_cast<uint64_t>(x);
}

uint64_t Random::Binomial(uint64_t n, double p) {
  if (n == 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - Binomial(n, 1 - p);
  if (n < 24) {
    // Bernoulli trials, two 32-bit uniforms per Next().
    const auto threshold = static_cast<uint64_t>(p * 4294967296.0);
    uint64_t hits = 0;
    for (uint64_t i = 0; i < n; i += 2) {
      const uint64_t r = Next();
      hits += (r >> 32) < threshold ? 1 : 0;
      if (i + 1 < n) hits += (r & 0xffffffffULL) < threshold ? 1 : 0;
    }
    return hits;
  }
  const double dn = static_cast<double>(n);
  const double mean = dn * p;
  if (mean < 16) {
    // Inversion with the pmf recurrence P(k+1) = P(k) * (n-k)/(k+1) * p/q.
    const double q = 1 - p;
    const double ratio = p / q;
    double pk = PortableExp(dn * PortableLog(q));
    double u = Uniform();
    uint64_t k = 0;
    while (u > pk && k < n) {
      u -= pk;
      pk *= ratio * static_cast<double>(n - k) / static_cast<double>(k + 1);
      ++k;
      if (pk <= 0) break;  // u beyond the representable tail: stop at k
    }
    return k;
  }
  const double sd = std::sqrt(mean * (1 - p));
  const double x = std::floor(mean + sd * Normal() + 0.5);
  if (x <= 0) return 0;
  if (x >= dn) return n;
  return static_cast<uint64_t>(x);
}

}  // namespace earshot::generate
