#include "actors/cluster/cluster_security.h"

#include <stdexcept>

#include "runtime/cluster_keys.h"

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
  rt::Result<rt::SecurityOptions> keys = rt::LoadClusterKeys(key_dir);
  if (!keys.ok()) throw std::runtime_error(keys.error().message);
  return std::move(keys).value();
}

}  // namespace olsgd::actors
