#include "cli/run_folder.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "cli/build_info.h"

namespace olsgd::cli {

namespace fs = std::filesystem;

std::string ChooseRunFolder(const std::string& out_flag, const std::string& config_dir,
                            const std::string& runs_root, const std::string& name,
                            std::chrono::system_clock::time_point now) {
  if (!out_flag.empty()) return out_flag;
  if (!config_dir.empty()) return config_dir;
  const std::string base = runs_root + "/" + name + "-" + FolderTimestamp(now);
  std::string dir = base;
  std::error_code ec;
  for (int i = 2; fs::exists(dir, ec); ++i) dir = base + "-" + std::to_string(i);
  return dir;
}

std::string CheckRunFolderFree(const std::string& dir) {
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (!fs::exists(st)) return "";
  if (!fs::is_directory(st)) return dir + " exists and is not a folder";
  if (!fs::is_empty(dir, ec) || ec) {
    return dir +
           " already holds results; refusing to overwrite them (choose another --out, "
           "or remove it)";
  }
  return "";
}

void CreateRunFolder(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
}

std::string CheckpointsFolder(const std::string& run_dir) { return run_dir + "/checkpoints"; }

std::string LatestCheckpoint(const std::string& run_dir) {
  std::ifstream in(CheckpointsFolder(run_dir) + "/latest");
  std::string name;
  if (!std::getline(in, name) || name.empty()) return "";
  return CheckpointsFolder(run_dir) + "/" + name;
}

}  // namespace olsgd::cli
