#include "trainer/conv2d_onednn.h"

#include <cblas.h>

#include <algorithm>
#include <initializer_list>
#include <oneapi/dnnl/dnnl.hpp>

// OpenMP's two thread-count calls, from the libgomp that oneDNN runs on;
// declared here rather than through <omp.h> so that no OpenMP compiler
// support is needed to build the trainer.
extern "C" int omp_get_max_threads();
extern "C" void omp_set_num_threads(int n);

namespace olsgd::train {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
constexpr auto kF32 = memory::data_type::f32;
constexpr int kMaxPlans = 4;

// Sets the calling thread's OpenMP thread count for a scope.
class OmpThreads {
 public:
  explicit OmpThreads(int n) : saved_(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~OmpThreads() { omp_set_num_threads(saved_); }
  OmpThreads(const OmpThreads&) = delete;
  OmpThreads& operator=(const OmpThreads&) = delete;

 private:
  int saved_;
};

dnnl::primitive_attr UserScratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

// A primitive with its own scratchpad (user mode: with the library's mode,
// oneDNN built for concurrent execution would allocate one per call).
struct Prim {
  dnnl::primitive p;
  memory scratch;
};

template <class Primitive, class Pd>
Prim MakePrim(const Pd& pd, const dnnl::engine& eng) {
  return {Primitive(pd), memory(pd.scratchpad_desc(), eng)};
}

// One operand of a primitive: `user` is the plain NCHW/OIHW buffer of the
// model (its handle set per call), `inner` the layout the primitive chose.
// When they differ, `reorder` converts (user -> inner for inputs, inner ->
// user for outputs) into a buffer oneDNN allocated once.
struct Operand {
  memory user, inner;
  Prim reorder;
  bool same = true;

  Operand() = default;
  Operand(const memory::desc& plain, const memory::desc& chosen, bool input,
          const dnnl::engine& eng)
      : user(plain, eng, DNNL_MEMORY_NONE), same(plain == chosen) {
    if (same) {
      inner = user;
      return;
    }
    inner = memory(chosen, eng);
    const memory::desc& from = input ? plain : chosen;
    const memory::desc& to = input ? chosen : plain;
    reorder = MakePrim<dnnl::reorder>(
        dnnl::reorder::primitive_desc(eng, from, eng, to, UserScratchpad()), eng);
  }
};

}  // namespace

struct OneDnnConv2d::Engine {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{eng};

  // Executes without the C++ API's std::unordered_map of arguments, which
  // would allocate on every call.
  void Run(const Prim& prim, std::initializer_list<dnnl_exec_arg_t> args) {
    dnnl_exec_arg_t all[8];
    int n = 0;
    for (const dnnl_exec_arg_t& a : args) all[n++] = a;
    all[n++] = {DNNL_ARG_SCRATCHPAD, prim.scratch.get()};
    dnnl::error::wrap_c_api(dnnl_primitive_execute(prim.p.get(), stream.get(), n, all),
                            "OneDnnConv2d: execute");
  }
  // Converts `op` between its user and inner layouts (no-op when they match).
  void Reorder(const Operand& op, bool input) {
    if (op.same) return;
    const memory& from = input ? op.user : op.inner;
    const memory& to = input ? op.inner : op.user;
    Run(op.reorder, {{DNNL_ARG_FROM, from.get()}, {DNNL_ARG_TO, to.get()}});
  }
};

struct OneDnnConv2d::Plan {
  int batch = 0, threads = 0;
  memory::dims src_d, w_d, dst_d, strides, pad;
  dnnl::convolution_forward::primitive_desc fwd_pd;
  Prim fwd;
  Operand src, w, dst;
  memory bias;
  // Backward, made on the first Backward with this plan (evaluation never
  // needs it).
  bool has_backward = false;
  Prim bwd_data, bwd_weights;
  Operand bw_src, bw_ddst, bw_dw, bd_ddst, bd_w, bd_dsrc;
  memory dbias;
};

OneDnnConv2d::OneDnnConv2d(Shape in, int out_channels, int kernel, int pad)
    : Conv2dBase(in, out_channels, kernel, pad), engine_(std::make_unique<Engine>()) {}

OneDnnConv2d::~OneDnnConv2d() = default;

OneDnnConv2d::Plan& OneDnnConv2d::PlanFor(int batch) {
  const int threads = std::max(1, openblas_get_num_threads());
  for (size_t i = 0; i < plans_.size(); ++i) {
    if (plans_[i]->batch == batch && plans_[i]->threads == threads) {
      std::rotate(plans_.begin(), plans_.begin() + i, plans_.begin() + i + 1);
      return *plans_.front();
    }
  }
  OmpThreads omp(threads);  // oneDNN splits the work by the count at creation
  auto p = std::make_unique<Plan>();
  p->batch = batch;
  p->threads = threads;
  p->src_d = {batch, in_.c, in_.h, in_.w};
  p->w_d = {out_.c, in_.c, k_, k_};
  p->dst_d = {batch, out_.c, out_.h, out_.w};
  p->strides = {1, 1};
  p->pad = {pad_, pad_};
  const dnnl::engine& eng = engine_->eng;
  auto any = [](const memory::dims& d) { return memory::desc(d, kF32, Tag::any); };
  const memory::desc bias_md({out_.c}, kF32, Tag::x);
  p->fwd_pd = dnnl::convolution_forward::primitive_desc(
      {dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, any(p->src_d),
       any(p->w_d), bias_md, any(p->dst_d), p->strides, p->pad, p->pad},
      UserScratchpad(), eng);
  p->fwd = MakePrim<dnnl::convolution_forward>(p->fwd_pd, eng);
  p->src = Operand({p->src_d, kF32, Tag::nchw}, p->fwd_pd.src_desc(), true, eng);
  p->w = Operand({p->w_d, kF32, Tag::oihw}, p->fwd_pd.weights_desc(), true, eng);
  p->dst = Operand({p->dst_d, kF32, Tag::nchw}, p->fwd_pd.dst_desc(), false, eng);
  p->bias = memory(bias_md, eng, DNNL_MEMORY_NONE);
  plans_.insert(plans_.begin(), std::move(p));
  if (plans_.size() > kMaxPlans) plans_.pop_back();
  src_plan_ = nullptr;  // a plan may have been dropped
  return *plans_.front();
}

// y = conv(x, W) + b, in oneDNN's layouts between two reorders.
void OneDnnConv2d::Forward(const float* in, float* out, int batch) {
  Plan& p = PlanFor(batch);
  OmpThreads omp(p.threads);
  p.src.user.set_data_handle(const_cast<float*>(in));
  p.w.user.set_data_handle(w_);
  p.bias.set_data_handle(b_);
  p.dst.user.set_data_handle(out);
  engine_->Reorder(p.src, true);
  engine_->Reorder(p.w, true);
  engine_->Run(p.fwd, {{DNNL_ARG_SRC, p.src.inner.get()},
                       {DNNL_ARG_WEIGHTS, p.w.inner.get()},
                       {DNNL_ARG_BIAS, p.bias.get()},
                       {DNNL_ARG_DST, p.dst.inner.get()}});
  engine_->Reorder(p.dst, false);
  engine_->stream.wait();
  src_of_ = training_ ? in : nullptr;
  src_plan_ = training_ ? &p : nullptr;
}

// dL/dW, dL/db (oneDNN's backward-weights) and, unless din is null, dL/dx
// (backward-data), each with its own layouts.
void OneDnnConv2d::Backward(const float* in, const float* /*out*/, const float* dout, float* din,
                            int batch) {
  Plan& p = PlanFor(batch);
  OmpThreads omp(p.threads);
  const dnnl::engine& eng = engine_->eng;
  if (!p.has_backward) {
    auto any = [](const memory::dims& d) { return memory::desc(d, kF32, Tag::any); };
    const memory::desc bias_md({out_.c}, kF32, Tag::x);
    const dnnl::convolution_backward_weights::primitive_desc bw_pd(
        {dnnl::algorithm::convolution_direct, any(p.src_d), any(p.w_d), bias_md, any(p.dst_d),
         p.strides, p.pad, p.pad},
        UserScratchpad(), eng, p.fwd_pd);
    const dnnl::convolution_backward_data::primitive_desc bd_pd(
        {dnnl::algorithm::convolution_direct, any(p.src_d), any(p.w_d), any(p.dst_d), p.strides,
         p.pad, p.pad},
        UserScratchpad(), eng, p.fwd_pd);
    p.bwd_weights = MakePrim<dnnl::convolution_backward_weights>(bw_pd, eng);
    p.bwd_data = MakePrim<dnnl::convolution_backward_data>(bd_pd, eng);
    const memory::desc nchw_src(p.src_d, kF32, Tag::nchw), nchw_dst(p.dst_d, kF32, Tag::nchw);
    const memory::desc oihw(p.w_d, kF32, Tag::oihw);
    p.bw_src = Operand(nchw_src, bw_pd.src_desc(), true, eng);
    p.bw_ddst = Operand(nchw_dst, bw_pd.diff_dst_desc(), true, eng);
    p.bw_dw = Operand(oihw, bw_pd.diff_weights_desc(), false, eng);
    p.bd_ddst = Operand(nchw_dst, bd_pd.diff_dst_desc(), true, eng);
    p.bd_w = Operand(oihw, bd_pd.weights_desc(), true, eng);
    p.bd_dsrc = Operand(nchw_src, bd_pd.diff_src_desc(), false, eng);
    p.dbias = memory(bias_md, eng, DNNL_MEMORY_NONE);
    p.has_backward = true;
  }
  // Forward's reordered input serves if it is this input in this layout.
  const bool reuse_src = training_ && src_of_ == in && src_plan_ == &p &&
                         p.src.inner.get_desc() == p.bw_src.inner.get_desc();
  const memory& src = reuse_src ? p.src.inner : p.bw_src.inner;
  if (!reuse_src) {
    p.bw_src.user.set_data_handle(const_cast<float*>(in));
    engine_->Reorder(p.bw_src, true);
  }
  p.bw_ddst.user.set_data_handle(const_cast<float*>(dout));
  engine_->Reorder(p.bw_ddst, true);
  p.bw_dw.user.set_data_handle(dw_);
  p.dbias.set_data_handle(db_);
  engine_->Run(p.bwd_weights, {{DNNL_ARG_SRC, src.get()},
                               {DNNL_ARG_DIFF_DST, p.bw_ddst.inner.get()},
                               {DNNL_ARG_DIFF_WEIGHTS, p.bw_dw.inner.get()},
                               {DNNL_ARG_DIFF_BIAS, p.dbias.get()}});
  engine_->Reorder(p.bw_dw, false);
  if (din != nullptr) {
    // Both backward primitives usually pick the same dY layout: reorder once.
    const bool share_ddst = p.bd_ddst.inner.get_desc() == p.bw_ddst.inner.get_desc();
    const memory& ddst = share_ddst ? p.bw_ddst.inner : p.bd_ddst.inner;
    if (!share_ddst) {
      p.bd_ddst.user.set_data_handle(const_cast<float*>(dout));
      engine_->Reorder(p.bd_ddst, true);
    }
    p.bd_w.user.set_data_handle(w_);
    engine_->Reorder(p.bd_w, true);
    p.bd_dsrc.user.set_data_handle(din);
    engine_->Run(p.bwd_data, {{DNNL_ARG_DIFF_DST, ddst.get()},
                              {DNNL_ARG_WEIGHTS, p.bd_w.inner.get()},
                              {DNNL_ARG_DIFF_SRC, p.bd_dsrc.inner.get()}});
    engine_->Reorder(p.bd_dsrc, false);
  }
  engine_->stream.wait();
}

}  // namespace olsgd::train
