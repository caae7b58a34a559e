// C++ exceptions through the ARM EHABI unwinder: class hierarchies, rethrow, destructors run during unwinding,
// exceptions from constructors, nested handlers, std library exceptions, and function-try-blocks.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

static int live = 0;

struct Tracer {
    std::string name;
    explicit Tracer(std::string n) : name(std::move(n)) { live++; std::printf("  construct %s\n", name.c_str()); }
    ~Tracer() { live--; std::printf("  destroy %s\n", name.c_str()); }
};

struct AppError : std::runtime_error {
    int code;
    AppError(const std::string &what, int c) : std::runtime_error(what), code(c) {}
};
struct DiskError : AppError {
    using AppError::AppError;
};

static void level3(int mode)
{
    Tracer t("level3");
    switch (mode) {
    case 0: throw DiskError("disk full", 28);
    case 1: throw 42;
    case 2: throw std::string("a string");
    case 3: { std::vector<int> v(3); (void)v.at(10); break; }
    case 4: throw 2.5;
    }
}

static void level2(int mode)
{
    Tracer t("level2");
    try {
        level3(mode);
    } catch (const AppError &e) {
        std::printf("  level2 saw AppError(%s), rethrowing\n", e.what());
        throw;
    }
}

struct Throws {
    Tracer member{"member"};
    Throws() { throw std::logic_error("constructor failed"); }
};

static int function_try(int x)
try {
    if (x > 0) throw std::out_of_range("x positive");
    return x;
} catch (const std::exception &e) {
    std::printf("  function-try-block caught %s\n", e.what());
    return -1;
}

int main()
{
    for (int mode = 0; mode <= 5; mode++) {
        std::printf("mode %d:\n", mode);
        try {
            level2(mode);
            std::printf("  no exception\n");
        } catch (const DiskError &e) {
            std::printf("  caught DiskError %s code %d\n", e.what(), e.code);
        } catch (int v) {
            std::printf("  caught int %d\n", v);
        } catch (const std::string &s) {
            std::printf("  caught string \"%s\"\n", s.c_str());
        } catch (const std::out_of_range &e) {
            std::printf("  caught out_of_range\n");
        } catch (...) {
            std::printf("  caught something else\n");
        }
    }

    try {
        Throws t;
    } catch (const std::logic_error &e) {
        std::printf("caught from constructor: %s\n", e.what());
    }

    std::printf("function_try(5) = %d, function_try(-3) = %d\n", function_try(5), function_try(-3));

    try {
        try {
            throw std::runtime_error("inner");
        } catch (const std::exception &e) {
            std::printf("inner handler: %s\n", e.what());
            throw std::runtime_error(std::string("outer from ") + e.what());
        }
    } catch (const std::exception &e) {
        std::printf("outer handler: %s\n", e.what());
    }

    std::exception_ptr saved;
    try {
        throw AppError("saved for later", 7);
    } catch (...) {
        saved = std::current_exception();
    }
    try {
        std::rethrow_exception(saved);
    } catch (const AppError &e) {
        std::printf("rethrown exception_ptr: %s %d\n", e.what(), e.code);
    }

    try {
        auto p = std::make_unique<Tracer>("heap");
        throw std::bad_alloc();
    } catch (const std::bad_alloc &e) {
        std::printf("bad_alloc caught, live tracers %d\n", live);
    }

    int caught = 0;
    for (int i = 0; i < 1000; i++) {
        try {
            if (i % 3 == 0) throw i;
        } catch (int) {
            caught++;
        }
    }
    std::printf("caught %d of 1000, live tracers %d\n", caught, live);
    return 0;
}
