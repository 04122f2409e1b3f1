// The one error type of config loading and validation. Its what() is the
// exact line users see: `error: config/x.yaml:14: algorithm.alpha must be in
// (0, 1), got 1.5`.
#ifndef OLSGD_CLI_CONFIG_ERROR_H_
#define OLSGD_CLI_CONFIG_ERROR_H_

#include <stdexcept>
#include <string>

namespace olsgd::cli {

// A user's config mistake: where (file:line, file, or the --set text) and what.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string where, std::string message)
      : std::runtime_error("error: " + where + ": " + message),
        where_(std::move(where)),
        message_(std::move(message)) {}

  // "config/x.yaml:14", "config/x.yaml" or "--set algorithm.alpha=1.5".
  const std::string& where() const { return where_; }
  // The message without the location prefix.
  const std::string& message() const { return message_; }

 private:
  std::string where_;
  std::string message_;
};

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_CONFIG_ERROR_H_
