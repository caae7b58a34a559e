// The standard library containers and algorithms: vector, map, unordered_map (printed sorted), set, deque, list,
// sort/stable_sort/partition, strings, smart pointers, std::function and virtual dispatch.
#include <algorithm>
#include <cstdio>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const = 0;
};
struct Rect : Shape {
    double w, h;
    Rect(double w, double h) : w(w), h(h) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};
struct Square : Rect {
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square"; }
};

int main()
{
    std::vector<int> v;
    unsigned x = 1;
    for (int i = 0; i < 1000; i++) {
        x = x * 1664525u + 1013904223u;
        v.push_back((int)(x >> 16) % 1000);
    }
    std::vector<int> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    std::printf("min %d max %d median %d sum %lld\n", sorted.front(), sorted.back(), sorted[500],
                std::accumulate(v.begin(), v.end(), 0LL));
    auto last = std::unique(sorted.begin(), sorted.end());
    std::printf("distinct %d\n", (int)(last - sorted.begin()));

    std::map<std::string, int> words;
    const char *text[] = {"the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "the", "fox"};
    for (auto w : text) words[w]++;
    for (auto &[w, n] : words) std::printf("%s=%d ", w.c_str(), n);
    std::printf("\n");

    std::unordered_map<int, std::string> um;
    for (int i = 0; i < 100; i++) um[i * 37 % 101] = std::to_string(i);
    std::vector<std::pair<int, std::string>> items(um.begin(), um.end());
    std::sort(items.begin(), items.end());
    std::printf("unordered_map size %zu, first %d->%s, last %d->%s\n", um.size(), items.front().first,
                items.front().second.c_str(), items.back().first, items.back().second.c_str());

    std::set<int> s(v.begin(), v.end());
    std::printf("set size %zu, lower_bound(500) %d, count(0) %zu\n", s.size(), *s.lower_bound(500), s.count(0));

    std::deque<int> dq;
    for (int i = 0; i < 10; i++) {
        if (i % 2) dq.push_front(i);
        else dq.push_back(i);
    }
    std::printf("deque:");
    for (int d : dq) std::printf(" %d", d);
    std::printf("\n");

    std::list<std::string> names = {"delta", "alpha", "charlie", "bravo"};
    names.sort();
    names.reverse();
    std::printf("list:");
    for (auto &n : names) std::printf(" %s", n.c_str());
    std::printf("\n");

    std::vector<std::pair<int, int>> pairs;
    for (int i = 0; i < 12; i++) pairs.push_back({i % 3, i});
    std::stable_sort(pairs.begin(), pairs.end(), [](auto &a, auto &b) { return a.first < b.first; });
    std::printf("stable:");
    for (auto &p : pairs) std::printf(" %d/%d", p.first, p.second);
    std::printf("\n");
    std::vector<int> nums(20);
    std::iota(nums.begin(), nums.end(), 1);
    auto mid = std::partition(nums.begin(), nums.end(), [](int n) { return n % 3 == 0; });
    std::printf("multiples of 3: %d\n", (int)(mid - nums.begin()));

    std::string str = "Hello, STL world";
    std::transform(str.begin(), str.end(), str.begin(), [](unsigned char c) { return std::toupper(c); });
    std::printf("%s find(STL)=%zu substr=%s rfind(O)=%zu\n", str.c_str(), str.find("STL"), str.substr(7, 3).c_str(),
                str.rfind('O'));
    std::string built;
    for (int i = 0; i < 5; i++) built += std::to_string(i * i) + ",";
    std::printf("built %s stoi %d stod %.2f\n", built.c_str(), std::stoi("-123"), std::stod("2.75"));

    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Rect>(2, 3));
    shapes.push_back(std::make_unique<Square>(4));
    for (auto &sh : shapes) std::printf("%s area %.1f\n", sh->name().c_str(), sh->area());

    auto shared = std::make_shared<std::vector<int>>(3, 7);
    std::weak_ptr<std::vector<int>> weak = shared;
    {
        auto copy = shared;
        std::printf("use_count %ld\n", shared.use_count());
    }
    std::printf("use_count %ld expired %d\n", shared.use_count(), weak.expired());
    shared.reset();
    std::printf("after reset expired %d\n", weak.expired());

    std::function<long(int)> fact = [&](int n) -> long { return n <= 1 ? 1 : n * fact(n - 1); };
    std::printf("fact(12) %ld\n", fact(12));
    std::map<std::string, std::function<int(int, int)>> ops = {
        {"add", std::plus<int>()}, {"mul", std::multiplies<int>()}, {"max", [](int a, int b) { return std::max(a, b); }}};
    for (auto &[name, op] : ops) std::printf("%s(6,7)=%d ", name.c_str(), op(6, 7));
    std::printf("\n");
    return 0;
}
