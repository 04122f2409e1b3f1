#pragma once

#include <stdexcept>
#include <string>

namespace olsgd::train {

// A data file is missing, truncated or corrupt. The message names the file and
// what was wrong (bad magic, count mismatch, short read, ...).
class DataError : public std::runtime_error {
 public:
  explicit DataError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace olsgd::train
