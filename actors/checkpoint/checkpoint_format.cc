#include "actors/checkpoint/checkpoint_format.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actors/spec/spec_fingerprint.h"
#include "runtime/msgpack_safe.h"

namespace olsgd::actors {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kMagic = "olsgd-checkpoint";

// [magic, kind, version, body...] with tensors as plain bin.
template <class State>
std::string PackPart(const char* kind, const State& state, const std::vector<rt::Tensor>& arrays) {
  rt::detail::TensorSinkScope no_sink(nullptr);
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> p(buf);
  p.pack_array(5);
  p.pack(std::string(kMagic));
  p.pack(std::string(kind));
  p.pack(kCheckpointFormatVersion);
  p.pack(state);
  p.pack(arrays);
  return std::string(buf.data(), buf.size());
}

std::string PackHistory(const RunHistory& h) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> p(buf);
  p.pack_array(5);
  p.pack(std::string(kMagic));
  p.pack(std::string("history"));
  p.pack(kCheckpointFormatVersion);
  p.pack(h.rounds);
  p.pack(h.evals);
  return std::string(buf.data(), buf.size());
}

uint32_t Crc32(const std::string& data) {
  return static_cast<uint32_t>(
      crc32_z(crc32_z(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

std::string Hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%08x", v);
  return buf;
}

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw CheckpointError(path + ": " + what);
}

void WriteSynced(const std::string& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) Fail(path, std::string("cannot create: ") + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      Fail(path, std::string("cannot write: ") + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    Fail(path, std::string("cannot fsync: ") + std::strerror(err));
  }
  if (::close(fd) != 0) Fail(path, std::string("cannot close: ") + std::strerror(errno));
}

void SyncFolder(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) Fail(dir, std::string("cannot open folder: ") + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) Fail(dir, std::string("cannot fsync folder: ") + std::strerror(err));
}

void Rename(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    Fail(to, "cannot rename " + from + " to it: " + std::strerror(errno));
  }
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(path, "missing (or unreadable)");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) Fail(path, "read error");
  return s.str();
}

// Unpacks [magic, kind, version, a, b] and returns the handle.
msgpack::object_handle UnpackPart(const std::string& path, const std::string& data,
                                  const std::string& kind) {
  msgpack::object_handle oh;
  try {
    oh = msgpack::unpack(data.data(), data.size());
  } catch (const std::exception& e) {
    Fail(path, std::string("not a checkpoint part (") + e.what() + ")");
  }
  const msgpack::object& o = oh.get();
  try {
    if (o.type != msgpack::type::ARRAY || o.via.array.size != 5 ||
        o.via.array.ptr[0].as<std::string>() != kMagic) {
      Fail(path, "not an olsgd checkpoint part");
    }
    const std::string got = o.via.array.ptr[1].as<std::string>();
    if (got != kind) Fail(path, "holds a " + got + " part, expected " + kind);
    const int version = o.via.array.ptr[2].as<int>();
    if (version != kCheckpointFormatVersion) {
      Fail(path, "format version " + std::to_string(version) + ", this build reads version " +
                     std::to_string(kCheckpointFormatVersion));
    }
  } catch (const msgpack::type_error& e) {
    Fail(path, std::string("not an olsgd checkpoint part (") + e.what() + ")");
  }
  return oh;
}

template <class Part>
Part ReadPart(const std::string& path, const std::string& data, const std::string& kind,
              size_t arrays) {
  const msgpack::object_handle oh = UnpackPart(path, data, kind);
  Part part;
  try {
    oh.get().via.array.ptr[3].convert(part.state);
    oh.get().via.array.ptr[4].convert(part.arrays);
  } catch (const std::exception& e) {
    Fail(path, std::string("malformed ") + kind + " state (" + e.what() + ")");
  }
  if (part.arrays.size() != arrays) {
    Fail(path, std::to_string(part.arrays.size()) + " arrays, expected " + std::to_string(arrays));
  }
  return part;
}

RunHistory ReadHistory(const std::string& path, const std::string& data) {
  const msgpack::object_handle oh = UnpackPart(path, data, "history");
  RunHistory h;
  try {
    oh.get().via.array.ptr[3].convert(h.rounds);
    oh.get().via.array.ptr[4].convert(h.evals);
  } catch (const std::exception& e) {
    Fail(path, std::string("malformed history (") + e.what() + ")");
  }
  return h;
}

std::string TrainerFile(int w) { return "trainer-" + std::to_string(w) + ".bin"; }
std::string ReducerFile(int j) { return "reducer-" + std::to_string(j) + ".bin"; }
constexpr const char* kHistoryFile = "history.bin";
constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kLatestFile = "latest";

}  // namespace

std::string CheckpointFolderName(int64_t round) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "round-%06lld", static_cast<long long>(round));
  return buf;
}

std::string WriteCheckpoint(const std::string& root, const Checkpoint& ckpt,
                            const ExperimentSpec& spec, uint64_t* bytes) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) Fail(root, "cannot create: " + ec.message());
  const std::string name = CheckpointFolderName(ckpt.round);
  const std::string final_dir = root + "/" + name;
  const std::string tmp_dir = root + "/." + name + ".tmp";
  fs::remove_all(tmp_dir, ec);
  fs::create_directory(tmp_dir, ec);
  if (ec) Fail(tmp_dir, "cannot create: " + ec.message());

  json files = json::array();
  uint64_t total = 0;
  const auto put = [&](const std::string& file, const std::string& data) {
    WriteSynced(tmp_dir + "/" + file, data);
    files.push_back({{"name", file}, {"bytes", data.size()}, {"crc32", Hex(Crc32(data))}});
    total += data.size();
  };
  for (size_t w = 0; w < ckpt.trainers.size(); ++w) {
    put(TrainerFile(static_cast<int>(w)),
        PackPart("trainer", ckpt.trainers[w].state, ckpt.trainers[w].arrays));
  }
  for (size_t j = 0; j < ckpt.reducers.size(); ++j) {
    put(ReducerFile(static_cast<int>(j)),
        PackPart("reducer", ckpt.reducers[j].state, ckpt.reducers[j].arrays));
  }
  put(kHistoryFile, PackHistory(ckpt.history));
  json config = json::object();
  for (const auto& [key, value] : ConfigFingerprint(spec)) config[key] = value;
  const json manifest = {{"format", kMagic},
                         {"version", kCheckpointFormatVersion},
                         {"round", ckpt.round},
                         {"workers", ckpt.trainers.size()},
                         {"reducer_shards", ckpt.reducers.size()},
                         {"config", config},
                         {"files", files}};
  const std::string manifest_text = manifest.dump(2) + "\n";
  WriteSynced(tmp_dir + "/" + kManifestFile, manifest_text);
  total += manifest_text.size();
  SyncFolder(tmp_dir);

  fs::remove_all(final_dir, ec);
  Rename(tmp_dir, final_dir);
  SyncFolder(root);
  const std::string latest_tmp = root + "/." + std::string(kLatestFile) + ".tmp";
  WriteSynced(latest_tmp, name + "\n");
  Rename(latest_tmp, root + "/" + kLatestFile);
  SyncFolder(root);
  if (bytes != nullptr) *bytes = total;
  return final_dir;
}

void PruneCheckpoints(const std::string& root, int keep) {
  std::vector<std::string> rounds;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.rfind("round-", 0) == 0) rounds.push_back(name);
  }
  std::sort(rounds.begin(), rounds.end());  // zero-padded: name order is round order
  for (size_t i = 0; i + static_cast<size_t>(keep) < rounds.size(); ++i) {
    fs::remove_all(root + "/" + rounds[i], ec);
  }
}

std::string ResolveCheckpointFolder(const std::string& path) {
  std::error_code ec;
  if (fs::exists(path + "/" + kManifestFile, ec)) return path;
  const std::string latest = path + "/" + kLatestFile;
  if (!fs::exists(latest, ec)) {
    if (!fs::is_directory(path, ec)) Fail(path, "no such checkpoint folder");
    Fail(path, "no checkpoint here (neither manifest.json nor a `latest` pointer)");
  }
  std::string name = ReadWhole(latest);
  while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
  if (name.empty() || name.find('/') != std::string::npos) {
    Fail(latest, "does not name a checkpoint folder");
  }
  const std::string folder = path + "/" + name;
  if (!fs::exists(folder + "/" + kManifestFile, ec)) {
    Fail(latest, "names " + name + ", which has no manifest.json");
  }
  return folder;
}

Checkpoint LoadCheckpoint(const std::string& path, const ExperimentSpec& spec) {
  const std::string folder = ResolveCheckpointFolder(path);
  const std::string manifest_path = folder + "/" + kManifestFile;
  json manifest;
  try {
    manifest = json::parse(ReadWhole(manifest_path));
  } catch (const json::exception& e) {
    Fail(manifest_path, std::string("not valid JSON (") + e.what() + ")");
  }
  Checkpoint ckpt;
  json files;
  Fingerprint saved;
  try {
    if (manifest.value("format", "") != kMagic) Fail(manifest_path, "not an olsgd checkpoint");
    const int version = manifest.at("version").get<int>();
    if (version != kCheckpointFormatVersion) {
      Fail(manifest_path, "unknown format version " + std::to_string(version) +
                              " (this build reads version " +
                              std::to_string(kCheckpointFormatVersion) + ")");
    }
    ckpt.round = manifest.at("round").get<int64_t>();
    for (const auto& [key, value] : manifest.at("config").items()) {
      saved.emplace_back(key, value.get<std::string>());
    }
    files = manifest.at("files");
  } catch (const json::exception& e) {
    Fail(manifest_path, std::string("missing or malformed field (") + e.what() + ")");
  }
  if (const std::string diff = CompareFingerprint(saved, spec); !diff.empty()) {
    Fail(folder, diff);
  }

  // Every file the manifest lists, checked for size and checksum.
  const auto load = [&](const std::string& name) {
    const std::string file = folder + "/" + name;
    const auto it = std::find_if(files.begin(), files.end(),
                                 [&](const json& f) { return f.value("name", "") == name; });
    if (it == files.end()) Fail(manifest_path, "lists no " + name);
    const std::string data = ReadWhole(file);
    const uint64_t bytes = it->value("bytes", uint64_t{0});
    if (data.size() != bytes) {
      Fail(file, std::to_string(data.size()) + " bytes, the manifest says " +
                     std::to_string(bytes) + " (truncated or changed)");
    }
    const std::string crc = Hex(Crc32(data));
    if (crc != it->value("crc32", "")) {
      Fail(file, "checksum mismatch (CRC-32 " + crc + ", the manifest says " +
                     it->value("crc32", "") + "): the file is corrupt");
    }
    return data;
  };
  for (int w = 0; w < spec.cluster.workers; ++w) {
    const std::string name = TrainerFile(w);
    TrainerPart part =
        ReadPart<TrainerPart>(folder + "/" + name, load(name), "trainer", kTrainerArrays);
    if (part.state.worker != w || part.state.round != ckpt.round) {
      Fail(folder + "/" + name, "holds worker " + std::to_string(part.state.worker) + " round " +
                                    std::to_string(part.state.round) + ", expected worker " +
                                    std::to_string(w) + " round " + std::to_string(ckpt.round));
    }
    ckpt.trainers.push_back(std::move(part));
  }
  for (int j = 0; j < spec.algorithm.reducer_shards; ++j) {
    const std::string name = ReducerFile(j);
    ReducerPart part =
        ReadPart<ReducerPart>(folder + "/" + name, load(name), "reducer", kReducerArrays);
    if (part.state.shard != j || part.state.round != ckpt.round) {
      Fail(folder + "/" + name, "holds shard " + std::to_string(part.state.shard) + " round " +
                                    std::to_string(part.state.round) + ", expected shard " +
                                    std::to_string(j) + " round " + std::to_string(ckpt.round));
    }
    ckpt.reducers.push_back(std::move(part));
  }
  ckpt.history = ReadHistory(folder + "/" + kHistoryFile, load(kHistoryFile));
  return ckpt;
}

void CheckCheckpointShape(const Checkpoint& ckpt, const RunPlan& plan, size_t num_params) {
  const std::string where = "checkpoint of round " + std::to_string(ckpt.round);
  if (ckpt.round < 1 || ckpt.round >= plan.total_rounds) {
    throw CheckpointError(where + ": this run has " + std::to_string(plan.total_rounds) +
                          " rounds, so there is nothing to continue");
  }
  for (const TrainerPart& t : ckpt.trainers) {
    for (int a : {kTrainerParams, kTrainerMomentum}) {
      if (t.arrays[a].size() != num_params) {
        throw CheckpointError(where + ", trainer " + std::to_string(t.state.worker) + ": " +
                              std::to_string(t.arrays[a].size()) + " floats, the model has " +
                              std::to_string(num_params));
      }
    }
  }
  for (const ReducerPart& r : ckpt.reducers) {
    const auto [lo, hi] = plan.shard_slices.at(static_cast<size_t>(r.state.shard));
    if (r.arrays[kReducerResult].size() != hi - lo) {
      throw CheckpointError(where + ", reducer " + std::to_string(r.state.shard) + ": slice of " +
                            std::to_string(r.arrays[kReducerResult].size()) + " floats, expected " +
                            std::to_string(hi - lo));
    }
  }
}

}  // namespace olsgd::actors
