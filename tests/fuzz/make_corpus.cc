// Writes the seed corpus (valid messages of every type, made by the real
// encoder) into a directory: make_corpus tests/fuzz/corpus
#include <cstdio>
#include <fstream>
#include <string>

#include "tests/fuzz/wire_fuzz_driver.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  for (const auto& [name, input] : olsgd::rt::fuzz::SeedInputs()) {
    std::ofstream f(std::string(argv[1]) + "/" + name, std::ios::binary);
    f.write(input.data(), static_cast<std::streamsize>(input.size()));
    if (!f) {
      std::fprintf(stderr, "cannot write %s/%s\n", argv[1], name.c_str());
      return 1;
    }
  }
  return 0;
}
