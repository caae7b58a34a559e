// iostreams: cout/cerr-free formatting with manipulators, stringstream parsing, and std::getline.
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

int main()
{
    std::cout << "Hello from iostream" << std::endl;
    std::cout << 42 << ' ' << -7 << ' ' << 3000000000u << ' ' << -9000000000000LL << '\n';
    std::cout << std::hex << 255 << ' ' << std::showbase << 255 << ' ' << std::uppercase << 0xabc << std::nouppercase
              << std::noshowbase << std::dec << '\n';
    std::cout << std::oct << 64 << std::dec << ' ' << std::boolalpha << true << ' ' << false << std::noboolalpha << ' '
              << true << '\n';
    std::cout << '[' << std::setw(8) << 12 << "] [" << std::left << std::setw(8) << 12 << std::right << "] ["
              << std::setfill('*') << std::setw(8) << 12 << std::setfill(' ') << "]\n";
    std::cout << std::fixed << std::setprecision(3) << 3.14159265 << ' ' << std::scientific << 12345.678 << ' '
              << std::defaultfloat << std::setprecision(6) << 0.1 + 0.2 << ' ' << 1e100 << ' ' << 1.0 / 3 << '\n';
    std::cout << std::setprecision(17) << 0.1 << ' ' << std::setprecision(6) << -0.0 << ' ' << 2.5e-300 << '\n';

    std::istringstream in("10 20 30 abc 40");
    int sum = 0, v;
    while (in >> v) sum += v;
    std::cout << "sum before failure " << sum << ", fail " << in.fail() << '\n';
    in.clear();
    std::string word;
    in >> word >> v;
    std::cout << "after clear: word " << word << ", v " << v << '\n';

    std::istringstream lines("first line\nsecond, with comma\n\nlast");
    std::string line;
    int count = 0;
    while (std::getline(lines, line)) std::cout << ++count << ": \"" << line << "\" (" << line.size() << ")\n";

    std::ostringstream out;
    out << "pi~" << std::setprecision(4) << 3.14159 << " hex " << std::hex << 48879;
    std::cout << out.str() << '\n';

    std::istringstream csv("a,bb,,ccc");
    std::vector<std::string> fields;
    for (std::string f; std::getline(csv, f, ',');) fields.push_back(f);
    std::cout << fields.size() << " fields:";
    for (auto &f : fields) std::cout << " <" << f << '>';
    std::cout << std::endl;
    return 0;
}
