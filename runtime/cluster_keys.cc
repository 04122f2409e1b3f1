#include "runtime/cluster_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/log.h"
#include "runtime/zap_handler.h"

namespace olsgd::rt {

namespace fs = std::filesystem;

namespace {

Status WriteFile(const fs::path& path, const std::string& text, mode_t mode) {
  // O_EXCL: never replace an existing key file, even in a race.
  FILE* f = nullptr;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd >= 0) f = fdopen(fd, "w");
  if (!f) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    return Error{err == EEXIST ? ErrorCode::kAlreadyExists : ErrorCode::kInvalidArgument,
                 "cannot create " + path.string() + ": " + std::strerror(err)};
  }
  bool ok = std::fputs(text.c_str(), f) >= 0;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return Error{ErrorCode::kInvalidArgument, "cannot write " + path.string()};
  return OkStatus();
}

// One Z85 key from the first non-comment line of `path`.
Result<std::string> ReadKey(const fs::path& path, const char* what) {
  std::ifstream in(path);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      return Error{ErrorCode::kNotFound,
                   std::string(what) + " " + path.string() +
                       " does not exist (create the key folder with `olsgd keygen --out DIR`)"};
    }
    return Error{ErrorCode::kInvalidArgument,
                 "cannot read " + path.string() + ": " + std::strerror(errno)};
  }
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (!detail::IsZ85Key(line)) {
      return Error{ErrorCode::kInvalidArgument,
                   path.string() + ": expected a CURVE key of 40 Z85 characters, got " +
                       std::to_string(line.size()) + " characters that are not one"};
    }
    return line;
  }
  return Error{ErrorCode::kInvalidArgument,
               path.string() + " is empty; expected a CURVE key of 40 Z85 characters"};
}

}  // namespace

bool CurveAvailable() { return zmq_has("curve") != 0; }

Status WriteClusterKeys(const std::string& dir) {
  if (!CurveAvailable()) {
    return Error{ErrorCode::kInvalidArgument,
                 "this libzmq was built without CURVE; cannot make cluster keys"};
  }
  fs::path d(dir);
  fs::path secret = d / "cluster.key", pub = d / "cluster.pub";
  std::error_code ec;
  for (const auto& p : {secret, pub}) {
    if (fs::exists(p, ec)) {
      return Error{
          ErrorCode::kAlreadyExists,
          p.string() + " already exists; refusing to overwrite a cluster's keys (remove it first)"};
    }
  }
  fs::create_directories(d, ec);
  if (ec)
    return Error{ErrorCode::kInvalidArgument, "cannot create folder " + dir + ": " + ec.message()};
  char pub_z85[41] = {}, sec_z85[41] = {};
  if (zmq_curve_keypair(pub_z85, sec_z85) != 0) {
    return Error{ErrorCode::kInvalidArgument,
                 std::string("zmq_curve_keypair failed: ") + zmq_strerror(zmq_errno())};
  }
  if (Status s = WriteFile(secret, std::string(sec_z85) + "\n", 0600); !s.ok()) return s;
  if (Status s = WriteFile(pub, std::string(pub_z85) + "\n", 0644); !s.ok()) {
    fs::remove(secret, ec);  // no half-written key folder
    return s;
  }
  return OkStatus();
}

Result<SecurityOptions> LoadClusterKeys(const std::string& dir) {
  if (!CurveAvailable()) {
    return Error{ErrorCode::kInvalidArgument,
                 "cluster keys in " + dir + " need CURVE, but this libzmq was built without it"};
  }
  fs::path d(dir);
  fs::path secret_path = d / "cluster.key", pub_path = d / "cluster.pub";
  std::error_code ec;
  if (!fs::is_directory(d, ec)) {
    return Error{
        ErrorCode::kNotFound,
        "key folder " + dir + " does not exist (create it with `olsgd keygen --out " + dir + "`)"};
  }
  auto secret = ReadKey(secret_path, "secret key file");
  if (!secret.ok()) return secret.error();
  auto pub = ReadKey(pub_path, "public key file");
  if (!pub.ok()) return pub.error();
  char derived[41] = {};
  if (zmq_curve_public(derived, secret->c_str()) != 0 || *pub != derived) {
    return Error{ErrorCode::kInvalidArgument, pub_path.string() + " does not belong to " +
                                                  secret_path.string() +
                                                  " (keys from different keygen runs?)"};
  }
  struct stat st {};
  if (::stat(secret_path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    Log().warn("{} is readable by group or others (mode {:o}); run chmod 600 on it",
               secret_path.string(), st.st_mode & 0777);
  }
  SecurityOptions o;
  o.curve = true;
  o.public_key = *pub;
  o.secret_key = *secret;
  fs::path auth = d / "authorized_keys";
  if (fs::exists(auth, ec)) {
    std::ifstream in(auth);
    if (!in)
      return Error{ErrorCode::kInvalidArgument,
                   "cannot read " + auth.string() + ": " + std::strerror(errno)};
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      if (!detail::IsZ85Key(line)) {
        return Error{ErrorCode::kInvalidArgument,
                     auth.string() + ":" + std::to_string(n) +
                         ": expected a CURVE public key of 40 Z85 characters"};
      }
      o.authorized_keys.push_back(line);
    }
  }
  return o;
}

}  // namespace olsgd::rt
