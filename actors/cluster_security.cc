#include "actors/cluster_security.h"

#include <stdexcept>

namespace olsgd::actors {

rt::SecurityOptions ClusterSecurity(const std::string& key_dir, bool insecure) {
  if (key_dir.empty()) {
    if (!insecure) {
      throw std::runtime_error(
          "no cluster key: set cluster.key_dir (olsgd keygen) or, on a trusted network only, "
          "cluster.insecure: true");
    }
    return rt::SecurityOptions{};
  }
  throw std::runtime_error("cluster.key_dir: CURVE keys are not wired in yet");
}

}  // namespace olsgd::actors
