// The CURVE settings of a multi-host run's nodes, from the config.
#ifndef OLSGD_ACTORS_CLUSTER_CLUSTER_SECURITY_H_
#define OLSGD_ACTORS_CLUSTER_CLUSTER_SECURITY_H_

#include <string>

#include "runtime/runtime.h"

namespace olsgd::actors {

// CURVE on, with the keys in `key_dir` (olsgd keygen), or plaintext when
// `insecure` and no key_dir. Throws std::runtime_error naming the key file on
// a missing or bad key, and when neither is given.
rt::SecurityOptions ClusterSecurity(const std::string& key_dir, bool insecure);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CLUSTER_CLUSTER_SECURITY_H_
