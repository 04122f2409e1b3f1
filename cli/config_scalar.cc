#include "cli/config_scalar.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "cli/config_error.h"

namespace olsgd::cli {
namespace {

[[noreturn]] void TypeError(const YAML::Node& node, const ScalarContext& ctx,
                            const std::string& expected) {
  throw ConfigError(ctx.where, ctx.key + " must be " + expected + ", got " + DescribeNode(node));
}

template <class Int>
Int ReadInteger(const YAML::Node& node, const ScalarContext& ctx, const std::string& expected) {
  if (!node.IsScalar()) TypeError(node, ctx, expected);
  const std::string& text = node.Scalar();
  Int value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range) {
    throw ConfigError(ctx.where, ctx.key + " is out of range, got " + text);
  }
  if (ec != std::errc() || ptr != end) TypeError(node, ctx, expected);
  return value;
}

template <class T>
void ReadList(const YAML::Node& node, const ScalarContext& ctx, std::vector<T>& out,
              const std::string& expected) {
  if (node.IsNull()) {  // `hidden: []` and `hidden:` both mean empty
    out.clear();
    return;
  }
  if (!node.IsSequence()) TypeError(node, ctx, expected);
  std::vector<T> values;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_key = ctx.key + "[" + std::to_string(i) + "]";
    T value{};
    ReadValue(node[i], ScalarContext{item_key, ctx.where}, value);
    values.push_back(std::move(value));
  }
  out = std::move(values);
}

}  // namespace

std::string DescribeNode(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "\"" + node.Scalar() + "\"";
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, int& out) {
  out = ReadInteger<int>(node, ctx, "an integer");
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, int64_t& out) {
  out = ReadInteger<int64_t>(node, ctx, "an integer");
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, uint64_t& out) {
  if (node.IsScalar() && !node.Scalar().empty() && node.Scalar()[0] == '-') {
    TypeError(node, ctx, "a non-negative integer");
  }
  out = ReadInteger<uint64_t>(node, ctx, "a non-negative integer");
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, double& out) {
  if (!node.IsScalar() || node.Scalar().empty()) TypeError(node, ctx, "a number");
  const std::string& text = node.Scalar();
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) TypeError(node, ctx, "a number");
  if (!std::isfinite(value)) TypeError(node, ctx, "a finite number");
  out = value;
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, bool& out) {
  if (!node.IsScalar()) TypeError(node, ctx, "true or false");
  const std::string& t = node.Scalar();
  if (t == "true" || t == "True" || t == "TRUE" || t == "yes" || t == "on") {
    out = true;
  } else if (t == "false" || t == "False" || t == "FALSE" || t == "no" || t == "off") {
    out = false;
  } else {
    TypeError(node, ctx, "true or false");
  }
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, std::string& out) {
  if (node.IsNull()) {  // `key_dir:` with nothing after it means empty
    out.clear();
    return;
  }
  if (!node.IsScalar()) TypeError(node, ctx, "a string");
  out = node.Scalar();
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, std::vector<int>& out) {
  ReadList(node, ctx, out, "a list of integers");
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, std::vector<double>& out) {
  ReadList(node, ctx, out, "a list of numbers");
}

void ReadValue(const YAML::Node& node, const ScalarContext& ctx, std::vector<std::string>& out) {
  ReadList(node, ctx, out, "a list of strings");
}

}  // namespace olsgd::cli
