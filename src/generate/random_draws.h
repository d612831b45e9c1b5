// Portable random draws for the podcast market generator.
//
// The generator promises "same options, same bytes" on every platform, so it
// owns its PRNG and its distributions (std::*_distribution differ between
// standard libraries) and even its exp/log (libm results differ in the last
// bit between implementations). Everything here is IEEE-754 double
// arithmetic (+, -, *, /, sqrt, floor, ldexp: all exactly rounded), built
// with -ffp-contract=off (see CMakeLists.txt) so no FMA changes a result.
// A Random is a value type; use one per thread.
#pragma once

#include <array>
#include <cstdint>

namespace earshot::generate {

// A well-mixed 64-bit key for (a, b); a bijection of b for a fixed a, so
// Mix(a, 0), Mix(a, 1), ... never repeat.
uint64_t Mix(uint64_t a, uint64_t b);

// e^x and the natural logarithm, to about 1 ulp, from basic operations only.
double PortableExp(double x);
double PortableLog(double x);  // x > 0

// xoshiro256** seeded through splitmix64, plus the draws the market needs.
class Random {
 public:
  explicit Random(uint64_t seed);

  uint64_t Next();
  // Uniform in [0, n) for n <= 2^32.
  uint64_t Below(uint64_t n) { return ((Next() >> 32) * n) >> 32; }
  // True with probability per_10000 / 10000.
  bool Chance(uint64_t per_10000) { return Below(10000) < per_10000; }
  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double Between(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Standard normal (Marsaglia's polar method).
  double Normal();
  // Poisson(mean): exact inversion below a mean of 12, a rounded normal
  // approximation above (plenty for counts of listens).
  uint64_t Poisson(double mean);
  // Binomial(n, p): exact (Bernoulli trials or inversion) while n*min(p,1-p)
  // is small, a rounded normal approximation clamped to [0, n] above.
  uint64_t Binomial(uint64_t n, double p);

 private:
  std::array<uint64_t, 4> s_;
  double spare_normal_ = 0;
  bool has_spare_ = false;
};

}  // namespace earshot::generate
