// Cluster CURVE keys on disk, for `olsgd keygen` and the cluster launcher.
//
// A key folder holds one cluster key pair in Z85 (libzmq's text encoding):
//   cluster.key       the secret key (40 characters), mode 0600
//   cluster.pub       the public key (40 characters)
//   authorized_keys   optional: more client public keys, one a line
//                     ('#' starts a comment)
// Every node of a cluster loads the same folder; see SecurityOptions.
#ifndef OLSGD_RUNTIME_CLUSTER_KEYS_H_
#define OLSGD_RUNTIME_CLUSTER_KEYS_H_

#include <string>

#include "runtime/error.h"
#include "runtime/runtime.h"

namespace olsgd::rt {

// True if this libzmq supports CURVE (zmq_has("curve")).
bool CurveAvailable();

// Creates `dir` (and parents) and writes a fresh cluster.key (0600) and
// cluster.pub. Refuses (kAlreadyExists) if either file exists, so a running
// cluster's keys are never overwritten. Errors name the file.
Status WriteClusterKeys(const std::string& dir);

// Reads the key folder into SecurityOptions with curve = true. Errors
// (kNotFound, kInvalidArgument) name the file and what was expected: missing,
// unreadable, not 40 characters of Z85, a public key that does not belong to
// the secret key. A secret key readable by group or others is logged as a
// warning, not refused.
Result<SecurityOptions> LoadClusterKeys(const std::string& dir);

}  // namespace olsgd::rt

#endif  // OLSGD_RUNTIME_CLUSTER_KEYS_H_
