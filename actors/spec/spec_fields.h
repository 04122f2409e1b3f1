// The config schema, written once: VisitSpec walks every YAML key of an
// ExperimentSpec in document order. The loader (config_load.cc) and the dumper
// (config_dump.cc) are visitors, so the keys they read and write cannot drift
// apart. A visitor provides:
//   void Field(const char* key, T& value);          // a scalar or scalar list
//   void Section(const char* key, Fn body);          // a nested mapping
//   template <class E> void List(const char* key, std::vector<E>& items,
//                                ItemFn body);       // a list of mappings
// Every key here is documented in config/README.md.
#ifndef OLSGD_ACTORS_SPEC_SPEC_FIELDS_H_
#define OLSGD_ACTORS_SPEC_SPEC_FIELDS_H_

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

// Visits the delay distribution `d` (used by links' jitter).
template <class V>
void VisitDelayDist(V& v, DelayDist& d) {
  v.Field("dist", d.dist);
  v.Field("mean_ms", d.mean_ms);
  v.Field("stddev_ms", d.stddev_ms);
  v.Field("pareto_shape", d.pareto_shape);
}

// Visits one slow link.
template <class V>
void VisitLink(V& v, LinkSpec& l) {
  v.Field("from", l.from);
  v.Field("to", l.to);
  v.Field("both_directions", l.both_directions);
  v.Field("latency_ms", l.latency_ms);
  v.Section("jitter", [&] { VisitDelayDist(v, l.jitter); });
  v.Field("bandwidth_mbps", l.bandwidth_mbps);
}

// Visits one straggler rule.
template <class V>
void VisitStraggler(V& v, StragglerSpec& s) {
  v.Field("worker", s.worker);
  v.Field("slowdown", s.slowdown);
  v.Field("pause", s.pause);
  v.Field("pause_mean_ms", s.pause_mean_ms);
  v.Field("pause_pareto_shape", s.pause_pareto_shape);
  v.Field("pause_probability", s.pause_probability);
  v.Field("pause_ms", s.pause_ms);
  v.Field("window_from_round", s.window_from_round);
  v.Field("window_to_round", s.window_to_round);
  v.Field("window_factor", s.window_factor);
}

// Visits every key of the experiment, top-level keys first.
template <class V>
void VisitSpec(V& v, ExperimentSpec& s) {
  v.Field("name", s.name);
  v.Field("seed", s.seed);
  v.Field("deterministic", s.deterministic);
  v.Section("cluster", [&] {
    auto& c = s.cluster;
    v.Field("workers", c.workers);
    v.Field("mode", c.mode);
    v.Field("blas_threads", c.blas_threads);
    v.Field("trainer_nodes", c.trainer_nodes);
    v.Field("reducer_nodes", c.reducer_nodes);
    v.Field("insecure", c.insecure);
    v.Field("key_dir", c.key_dir);
    v.Field("on_failure", c.on_failure);
    v.Field("heartbeat_s", c.heartbeat_s);
    v.Field("failure_timeout_s", c.failure_timeout_s);
    v.Field("checkpoint_every_rounds", c.checkpoint_every_rounds);
    v.Field("wait_for_workers", c.wait_for_workers);
    v.Field("join_timeout_s", c.join_timeout_s);
    v.Field("stall_timeout_s", c.stall_timeout_s);
  });
  v.Section("data", [&] {
    auto& d = s.data;
    v.Field("dataset", d.dataset);
    v.Field("path", d.path);
    v.Field("partition", d.partition);
    v.Field("dirichlet_alpha", d.dirichlet_alpha);
    v.Field("max_train_samples", d.max_train_samples);
    v.Field("max_test_samples", d.max_test_samples);
    v.Field("synthetic_train", d.synthetic_train);
    v.Field("synthetic_test", d.synthetic_test);
    v.Field("synthetic_features", d.synthetic_features);
    v.Field("synthetic_classes", d.synthetic_classes);
  });
  v.Section("model", [&] {
    auto& m = s.model;
    v.Field("name", m.name);
    v.Field("hidden", m.hidden);
    v.Field("conv_channels", m.conv_channels);
    v.Field("fc_hidden", m.fc_hidden);
  });
  v.Section("training", [&] {
    auto& t = s.training;
    v.Field("epochs", t.epochs);
    v.Field("steps", t.steps);
    v.Field("batch_size", t.batch_size);
    v.Field("lr", t.lr);
    v.Field("lr_linear_scaling", t.lr_linear_scaling);
    v.Field("lr_reference_batch", t.lr_reference_batch);
    v.Field("warmup_epochs", t.warmup_epochs);
    v.Field("milestones", t.milestones);
    v.Field("lr_decay", t.lr_decay);
    v.Field("momentum", t.momentum);
    v.Field("nesterov", t.nesterov);
    v.Field("weight_decay", t.weight_decay);
  });
  v.Section("algorithm", [&] {
    auto& a = s.algorithm;
    v.Field("name", a.name);
    v.Field("tau", a.tau);
    v.Field("alpha", a.alpha);
    v.Field("beta", a.beta);
    v.Field("reducer_shards", a.reducer_shards);
  });
  v.Section("injection", [&] {
    v.List("links", s.injection.links, [&](LinkSpec& l) { VisitLink(v, l); });
    v.List("stragglers", s.injection.stragglers,
           [&](StragglerSpec& st) { VisitStraggler(v, st); });
  });
  v.Section("evaluation", [&] {
    auto& e = s.evaluation;
    v.Field("every_rounds", e.every_rounds);
    v.Field("target_accuracy", e.target_accuracy);
    v.Field("test_batch", e.test_batch);
    v.Field("evaluate_anchor", e.evaluate_anchor);
  });
  v.Section("output", [&] {
    auto& o = s.output;
    v.Field("dir", o.dir);
    v.Field("trace", o.trace);
    v.Field("plots", o.plots);
  });
}

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_SPEC_FIELDS_H_
