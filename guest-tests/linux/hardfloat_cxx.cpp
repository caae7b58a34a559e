// C++ with the hard-float ABI and Debian's armhf libstdc++, linked dynamically (run with
// -L /usr/arm-linux-gnueabihf): iostream formatting of floating point, std::complex,
// numeric algorithms over float and double, string conversions, and exceptions thrown through
// frames that keep doubles in the callee-saved d8-d15 (the unwinder restores them from the
// ARM exception tables' VFP entries).
#include <algorithm>
#include <cmath>
#include <complex>
#include <iomanip>
#include <iostream>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

volatile double seed = 0.7;

struct Sample {
    double value;
    float weight;
};

// Keeps doubles live across a call that throws: they sit in callee-saved registers, which the
// unwinder must give back to the catching frame.
__attribute__((noinline)) double deep(int level, double x)
{
    double a = x * 1.5, b = x - 0.25, c = std::sqrt(x + level);
    if (level == 0) throw std::runtime_error("bottom reached at " + std::to_string(x));
    double r = deep(level - 1, a / (b + 2.0));
    return r + a + b + c;
}

__attribute__((noinline)) double survive()
{
    double kept1 = seed * 3.0, kept2 = seed / 7.0, kept3 = std::exp(seed);
    try {
        kept1 += deep(6, seed);
    } catch (const std::runtime_error& e) {
        std::cout << "caught: " << e.what() << '\n';
    }
    return kept1 + kept2 + kept3;
}

}  // namespace

int main()
{
    std::cout << "limits: " << std::numeric_limits<double>::max() << ' ' << std::numeric_limits<float>::min() << ' '
              << std::numeric_limits<double>::epsilon() << ' ' << std::numeric_limits<float>::denorm_min() << '\n';

    double values[] = {seed, 1.0 / 3.0, -1e-310, 6.02214076e23, std::nan(""), -std::numeric_limits<double>::infinity()};
    for (double v : values) {
        std::cout << std::setprecision(17) << v << " | " << std::fixed << std::setprecision(4) << v << " | "
                  << std::scientific << std::setprecision(3) << v << " | " << std::hexfloat << v << std::defaultfloat << '\n';
    }

    std::complex<double> z(seed, -2.0), w = std::polar(1.5, static_cast<double>(seed));
    std::cout << std::setprecision(15) << "complex: " << z * w << ' ' << z / w << ' ' << std::exp(z) << ' ' << std::sqrt(z)
              << ' ' << std::abs(z) << ' ' << std::arg(w) << '\n';

    std::vector<Sample> samples;
    for (int i = 0; i < 40; i++) samples.push_back({std::sin(i * seed) * 100.0, static_cast<float>(i % 7) / 3.0f});
    std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.value < b.value; });
    double weighted = std::accumulate(samples.begin(), samples.end(), 0.0,
                                      [](double s, const Sample& x) { return s + x.value * x.weight; });
    std::vector<float> xs(64), ys(64);
    std::iota(xs.begin(), xs.end(), 0.5f);
    std::transform(xs.begin(), xs.end(), ys.begin(), [](float x) { return std::cos(x) / (x + 1.0f); });
    float dot = std::inner_product(xs.begin(), xs.end(), ys.begin(), 0.0f);
    std::cout << std::hexfloat << "numeric: " << samples.front().value << ' ' << samples.back().value << ' ' << weighted << ' '
              << dot << std::defaultfloat << '\n';

    std::istringstream in("3.14159 2.5e-3 -0 1e400 0x1.8p1");
    std::cout << "parsed:";
    for (std::string word; in >> word;) {
        try {
            double d = std::stod(word);
            std::cout << ' ' << d;
        } catch (const std::out_of_range&) {
            std::cout << " out-of-range";
        }
    }
    std::cout << '\n' << "to_string: " << std::to_string(seed) << ' ' << std::to_string(1e-7f) << '\n';

    double survived = survive();
    std::cout << std::hexfloat << "survived: " << survived << std::defaultfloat << '\n';
    return 0;
}
