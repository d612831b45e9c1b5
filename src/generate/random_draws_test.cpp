// Tests of the portable draws: exp/log accuracy against libm, and the
// distributions' means and variances (loose statistical bounds, fixed seeds,
// so they are deterministic).
#include "generate/random_draws.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <set>

namespace earshot::generate {
namespace {

TEST(PortableMath, ExpMatchesLibmClosely) {
  for (double x : {-700.0, -30.5, -1.0, -1e-9, 0.0, 1e-12, 0.5, 1.0, 2.302585092994046, 10.0, 88.7, 700.0}) {
    const double want = std::exp(x);
    EXPECT_NEAR(PortableExp(x), want, std::abs(want) * 4e-16) << x;
  }
  EXPECT_EQ(PortableExp(-800), 0.0);
  EXPECT_TRUE(std::isinf(PortableExp(800)));
}

TEST(PortableMath, LogMatchesLibmClosely) {
  for (double x : {1e-300, 1e-9, 0.1, 0.5, 0.70710678, 0.999999, 1.0, 1.000001, 2.0, 10.0, 12345.678, 1e300}) {
    const double want = std::log(x);
    EXPECT_NEAR(PortableLog(x), want, std::max(std::abs(want), 1e-300) * 4e-16 + 1e-22) << x;
  }
  EXPECT_TRUE(std::isinf(PortableLog(0)));
  EXPECT_TRUE(std::isnan(PortableLog(-1)));
}

TEST(Mix, IsABijectionOfItsSecondArgument) {
  std::set<uint64_t> seen;
  for (uint64_t b = 0; b < 100000; ++b) ASSERT_TRUE(seen.insert(Mix(42, b)).second) << b;
}

TEST(Random, SameSeedSameSequence) {
  Random a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
}

struct Moments {
  double mean = 0, variance = 0;
};

template <typename Draw>
Moments Measure(int n, Draw draw) {
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum2 += x * x;
  }
  Moments m;
  m.mean = sum / n;
  m.variance = sum2 / n - m.mean * m.mean;
  return m;
}

TEST(Random, BinomialMeanAndVarianceInEveryRegime) {
  struct Case {
    uint64_t n;
    double p;
  };
  // Bernoulli trials (n < 24), inversion (mean < 16), normal approximation,
  // and p > 0.5 (symmetry).
  for (const Case c : {Case{5, 0.1}, Case{20, 0.3}, Case{100, 0.1}, Case{1000, 0.01}, Case{5000, 0.2},
                       Case{100000, 0.1}, Case{60, 0.9}, Case{3, 1.0}, Case{3, 0.0}}) {
    Random rng(c.n * 31 + static_cast<uint64_t>(c.p * 1000));
    const int draws = 40000;
    bool in_range = true;
    const Moments m = Measure(draws, [&] {
      const uint64_t k = rng.Binomial(c.n, c.p);
      in_range &= k <= c.n;
      return static_cast<double>(k);
    });
    EXPECT_TRUE(in_range);
    const double mean = c.n * c.p, variance = c.n * c.p * (1 - c.p);
    EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(variance / draws) + 1e-9) << c.n << " " << c.p;
    EXPECT_NEAR(m.variance, variance, 0.06 * variance + 1e-9) << c.n << " " << c.p;
  }
}

TEST(Random, PoissonMeanAndVariance) {
  for (double lambda : {0.05, 1.0, 7.5, 11.9, 12.5, 300.0, 20000.0}) {
    Random rng(static_cast<uint64_t>(lambda * 100));
    const int draws = 40000;
    const Moments m = Measure(draws, [&] { return static_cast<double>(rng.Poisson(lambda)); });
    EXPECT_NEAR(m.mean, lambda, 5 * std::sqrt(lambda / draws)) << lambda;
    EXPECT_NEAR(m.variance, lambda, 0.06 * lambda) << lambda;
  }
  Random rng(1);
  EXPECT_EQ(rng.Poisson(0), 0u);
  EXPECT_EQ(rng.Poisson(-3), 0u);
}

TEST(Random, NormalIsStandard) {
  Random rng(99);
  const Moments m = Measure(100000, [&] { return rng.Normal(); });
  EXPECT_NEAR(m.mean, 0, 0.02);
  EXPECT_NEAR(m.variance, 1, 0.03);
}

}  // namespace
}  // namespace earshot::generate
