// C API over libtorch for the Swift side of shenzhou.
//
// Conventions:
// - Every function that can fail returns SZStatus. On SZ_ERROR the message is kept in a per-thread slot that
//   sz_last_error() returns; it stays valid until the next failing call on the same thread.
// - An SZTensor* returned through an out-parameter is owned by the caller, who frees it exactly once with
//   sz_tensor_free(). Input tensors are borrowed.
// - Optional tensor inputs accept NULL.
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct SZTensor SZTensor;
typedef struct SZGenerator SZGenerator;

typedef enum { SZ_OK = 0, SZ_ERROR = 1 } SZStatus;

typedef enum {
  SZ_FLOAT32 = 0,
  SZ_BFLOAT16 = 1,
  SZ_FLOAT16 = 2,
  SZ_INT64 = 3,
  SZ_INT32 = 4,
  SZ_BOOL = 5,
  SZ_FLOAT64 = 6,
  SZ_UINT8 = 7,
  SZ_INT16 = 8,
  SZ_INT8 = 9,
} SZDType;

typedef enum { SZ_DEVICE_CPU = 0, SZ_DEVICE_CUDA = 1 } SZDeviceType;

typedef enum {
  SZ_UNARY_NEG = 0,
  SZ_UNARY_EXP,
  SZ_UNARY_LOG,
  SZ_UNARY_SQRT,
  SZ_UNARY_RSQRT,
  SZ_UNARY_ABS,
  SZ_UNARY_TANH,
  SZ_UNARY_SIGMOID,
  SZ_UNARY_RELU,
  SZ_UNARY_GELU_ERF,
  SZ_UNARY_GELU_TANH,
  SZ_UNARY_SILU,
  SZ_UNARY_LOGICAL_NOT,
  SZ_UNARY_ISFINITE,
  SZ_UNARY_SQUARE,
  SZ_UNARY_RECIPROCAL,
} SZUnaryOp;

typedef enum {
  SZ_BINARY_ADD = 0,
  SZ_BINARY_SUB,
  SZ_BINARY_MUL,
  SZ_BINARY_DIV,
  SZ_BINARY_POW,
  SZ_BINARY_MAXIMUM,
  SZ_BINARY_MINIMUM,
  SZ_BINARY_EQ,
  SZ_BINARY_NE,
  SZ_BINARY_LT,
  SZ_BINARY_LE,
  SZ_BINARY_GT,
  SZ_BINARY_GE,
  SZ_BINARY_LOGICAL_AND,
  SZ_BINARY_LOGICAL_OR,
} SZBinaryOp;

typedef enum {
  SZ_REDUCE_SUM = 0,
  SZ_REDUCE_MEAN,
  SZ_REDUCE_MAX,
  SZ_REDUCE_MIN,
  SZ_REDUCE_PROD,
  SZ_REDUCE_ARGMAX,
  SZ_REDUCE_ARGMIN,
  SZ_REDUCE_ANY,
  SZ_REDUCE_ALL,
  SZ_REDUCE_LOGSUMEXP,
  SZ_REDUCE_NORM2,
} SZReduceOp;

typedef enum { SZ_REDUCTION_NONE = 0, SZ_REDUCTION_MEAN = 1, SZ_REDUCTION_SUM = 2 } SZReduction;

// MARK: - Errors, bookkeeping, runtime

const char *sz_last_error(void);
/// Number of SZTensor handles alive in this process (for leak tests).
int64_t sz_live_tensor_count(void);
const char *sz_torch_version(void);
bool sz_cuda_is_available(void);
int64_t sz_cuda_device_count(void);
SZStatus sz_set_num_threads(int64_t count);
int64_t sz_get_num_threads(void);
/// Seeds the default CPU (and CUDA, when present) generators.
SZStatus sz_manual_seed(uint64_t seed);

// MARK: - Generators

SZStatus sz_generator_new(SZDeviceType device, int64_t index, uint64_t seed, SZGenerator **out);
void sz_generator_free(SZGenerator *gen);
SZStatus sz_generator_set_seed(SZGenerator *gen, uint64_t seed);
/// The generator's full state as a uint8 CPU tensor, for checkpoints. NULL generator means the default CPU one.
SZStatus sz_generator_get_state(SZGenerator *gen, SZTensor **out);
SZStatus sz_generator_set_state(SZGenerator *gen, const SZTensor *state);

// MARK: - Tensor lifetime and metadata

void sz_tensor_free(SZTensor *t);
int64_t sz_tensor_dim(const SZTensor *t);
/// Writes min(dim, capacity) sizes into `sizes`.
void sz_tensor_sizes(const SZTensor *t, int64_t *sizes, int64_t capacity);
int64_t sz_tensor_numel(const SZTensor *t);
SZDType sz_tensor_dtype(const SZTensor *t);
SZDeviceType sz_tensor_device_type(const SZTensor *t);
int64_t sz_tensor_device_index(const SZTensor *t);
bool sz_tensor_requires_grad(const SZTensor *t);
bool sz_tensor_is_defined(const SZTensor *t);
/// A new handle sharing the same tensor (no copy).
SZStatus sz_tensor_shallow_copy(const SZTensor *t, SZTensor **out);

// MARK: - Creation and host transfer

/// Copies `nbytes` of host memory laid out as a contiguous tensor of `dtype` and `sizes`.
SZStatus sz_tensor_from_blob(const void *data, size_t nbytes, const int64_t *sizes, int64_t ndim, SZDType dtype,
                             SZTensor **out);
/// Copies the tensor (moved to CPU, made contiguous) into `dst`, which must hold exactly numel × itemsize bytes.
SZStatus sz_tensor_copy_to_host(const SZTensor *t, void *dst, size_t nbytes);
SZStatus sz_tensor_full(const int64_t *sizes, int64_t ndim, double value, SZDType dtype, SZDeviceType device,
                        int64_t index, SZTensor **out);
SZStatus sz_tensor_arange(double start, double end, double step, SZDType dtype, SZDeviceType device, int64_t index,
                          SZTensor **out);
/// kind 0: standard normal, 1: uniform [0, 1).
SZStatus sz_tensor_random(int kind, const int64_t *sizes, int64_t ndim, SZDType dtype, SZDeviceType device,
                          int64_t index, SZGenerator *gen, SZTensor **out);
SZStatus sz_tensor_randint(int64_t low, int64_t high, const int64_t *sizes, int64_t ndim, SZDeviceType device,
                           int64_t index, SZGenerator *gen, SZTensor **out);
SZStatus sz_tensor_to(const SZTensor *t, SZDType dtype, SZDeviceType device, int64_t index, SZTensor **out);
SZStatus sz_tensor_item_double(const SZTensor *t, double *out);
SZStatus sz_tensor_item_int64(const SZTensor *t, int64_t *out);

// MARK: - Shape and indexing

SZStatus sz_tensor_reshape(const SZTensor *t, const int64_t *sizes, int64_t ndim, SZTensor **out);
SZStatus sz_tensor_permute(const SZTensor *t, const int64_t *dims, int64_t ndim, SZTensor **out);
SZStatus sz_tensor_transpose(const SZTensor *t, int64_t dim0, int64_t dim1, SZTensor **out);
SZStatus sz_tensor_expand(const SZTensor *t, const int64_t *sizes, int64_t ndim, SZTensor **out);
SZStatus sz_tensor_contiguous(const SZTensor *t, SZTensor **out);
SZStatus sz_tensor_unsqueeze(const SZTensor *t, int64_t dim, SZTensor **out);
SZStatus sz_tensor_squeeze(const SZTensor *t, int64_t dim, SZTensor **out);
SZStatus sz_tensor_slice(const SZTensor *t, int64_t dim, int64_t start, int64_t end, int64_t step, SZTensor **out);
SZStatus sz_tensor_select(const SZTensor *t, int64_t dim, int64_t index, SZTensor **out);
SZStatus sz_tensor_index_select(const SZTensor *t, int64_t dim, const SZTensor *index, SZTensor **out);
/// Boolean-mask or integer-array indexing along the first dimension (x[mask], x[indices]).
SZStatus sz_tensor_index(const SZTensor *t, const SZTensor *index, SZTensor **out);
SZStatus sz_tensor_gather(const SZTensor *t, int64_t dim, const SZTensor *index, SZTensor **out);
SZStatus sz_tensor_scatter(const SZTensor *t, int64_t dim, const SZTensor *index, const SZTensor *src,
                           SZTensor **out);
SZStatus sz_tensor_scatter_add(const SZTensor *t, int64_t dim, const SZTensor *index, const SZTensor *src,
                               SZTensor **out);
SZStatus sz_tensor_masked_select(const SZTensor *t, const SZTensor *mask, SZTensor **out);
SZStatus sz_tensor_masked_fill(const SZTensor *t, const SZTensor *mask, double value, SZTensor **out);
SZStatus sz_tensor_where(const SZTensor *cond, const SZTensor *a, const SZTensor *b, SZTensor **out);
SZStatus sz_tensor_nonzero(const SZTensor *t, SZTensor **out);
SZStatus sz_tensor_cat(const SZTensor *const *tensors, int64_t count, int64_t dim, SZTensor **out);
SZStatus sz_tensor_stack(const SZTensor *const *tensors, int64_t count, int64_t dim, SZTensor **out);
SZStatus sz_tensor_topk(const SZTensor *t, int64_t k, int64_t dim, bool largest, SZTensor **values,
                        SZTensor **indices);
SZStatus sz_tensor_tril(const SZTensor *t, int64_t diagonal, SZTensor **out);

// MARK: - Math

SZStatus sz_tensor_unary(SZUnaryOp op, const SZTensor *t, SZTensor **out);
SZStatus sz_tensor_binary(SZBinaryOp op, const SZTensor *a, const SZTensor *b, SZTensor **out);
SZStatus sz_tensor_binary_scalar(SZBinaryOp op, const SZTensor *a, double b, SZTensor **out);
/// `dims` NULL with ndim 0 reduces over all elements.
SZStatus sz_tensor_reduce(SZReduceOp op, const SZTensor *t, const int64_t *dims, int64_t ndim, bool keepdim,
                          SZTensor **out);
SZStatus sz_tensor_clamp(const SZTensor *t, double min, double max, SZTensor **out);
SZStatus sz_tensor_matmul(const SZTensor *a, const SZTensor *b, SZTensor **out);
SZStatus sz_tensor_bmm(const SZTensor *a, const SZTensor *b, SZTensor **out);
/// y = x Wᵀ + b, with W of shape [out, in] as in torch.nn.Linear.
SZStatus sz_tensor_linear(const SZTensor *x, const SZTensor *weight, const SZTensor *bias, SZTensor **out);
SZStatus sz_tensor_softmax(const SZTensor *t, int64_t dim, SZTensor **out);
SZStatus sz_tensor_log_softmax(const SZTensor *t, int64_t dim, SZTensor **out);
SZStatus sz_tensor_layer_norm(const SZTensor *x, int64_t normalized_last_dims, const SZTensor *weight,
                              const SZTensor *bias, double eps, SZTensor **out);
/// Dropout masks come from `gen`, else from this thread's dropout generator (sz_set_thread_dropout_generator),
/// else from the default generator.
SZStatus sz_tensor_dropout(const SZTensor *x, double p, bool train, SZGenerator *gen, SZTensor **out);
/// Sets (or with NULL clears) the generator that dropout on this thread draws from when no generator is passed.
/// The caller keeps the generator alive while it is set. Returns the previous one.
SZGenerator *sz_set_thread_dropout_generator(SZGenerator *gen);
/// Rows of `weight` at `indices`; the row `padding_idx` (when >= 0) gets no gradient, as torch.nn.Embedding.
SZStatus sz_tensor_embedding(const SZTensor *weight, const SZTensor *indices, int64_t padding_idx, SZTensor **out);
/// Scaled dot-product attention over [B, H, T, D] inputs through libtorch's fused kernel. `mask` is a boolean
/// (true = attend) or additive float mask broadcastable to [B, H, T, T]. scale <= 0 means 1/sqrt(D).
SZStatus sz_tensor_sdpa(const SZTensor *q, const SZTensor *k, const SZTensor *v, const SZTensor *mask,
                        double dropout_p, bool is_causal, double scale, SZTensor **out);
SZStatus sz_tensor_cross_entropy(const SZTensor *logits, const SZTensor *target, int64_t ignore_index,
                                 SZReduction reduction, double label_smoothing, SZTensor **out);
SZStatus sz_tensor_kl_div_log_target(const SZTensor *input_log, const SZTensor *target_log, SZReduction reduction,
                                     SZTensor **out);

// MARK: - In-place updates (used by optimizers and weight loading; they bypass autograd)

SZStatus sz_tensor_copy_(SZTensor *dst, const SZTensor *src);
SZStatus sz_tensor_fill_(SZTensor *t, double value);
SZStatus sz_tensor_add_scaled_(SZTensor *t, const SZTensor *other, double alpha);
SZStatus sz_tensor_mul_scalar_(SZTensor *t, double value);

// MARK: - Autograd

SZStatus sz_tensor_set_requires_grad(SZTensor *t, bool requires_grad);
SZStatus sz_tensor_backward(const SZTensor *t, const SZTensor *gradient, bool retain_graph);
/// Sets *out to NULL when the tensor has no gradient.
SZStatus sz_tensor_grad(const SZTensor *t, SZTensor **out);
SZStatus sz_tensor_set_grad(SZTensor *t, const SZTensor *grad);
SZStatus sz_tensor_zero_grad(SZTensor *t);
SZStatus sz_tensor_detach(const SZTensor *t, SZTensor **out);
SZStatus sz_tensor_clone(const SZTensor *t, SZTensor **out);
/// Returns the previous setting.
bool sz_set_grad_enabled(bool enabled);
bool sz_is_grad_enabled(void);
/// Enters an autocast region for the device type with the given low-precision dtype; regions nest.
SZStatus sz_autocast_enter(SZDeviceType device, SZDType dtype);
SZStatus sz_autocast_exit(SZDeviceType device);

// MARK: - Optimizer kernels

/// One fused AdamW step over `count` parameters (libtorch's _fused_adamw_). `steps` are float32 scalars that the
/// kernel reads as the current step count but does not advance, so callers add 1 first.
SZStatus sz_fused_adamw(SZTensor *const *params, SZTensor *const *grads, SZTensor *const *exp_avgs,
                        SZTensor *const *exp_avg_sqs, SZTensor *const *steps, int64_t count, double lr, double beta1,
                        double beta2, double weight_decay, double eps);
/// Sum over tensors of their squared L2 norms, as a float32 scalar tensor.
SZStatus sz_total_norm_squared(SZTensor *const *tensors, int64_t count, SZTensor **out);

// MARK: - Serialization

/// Loads a `torch.save` state dict (e.g. pytorch_model.bin). Calls `visit` once per entry; the callee takes
/// ownership of the tensor handle.
typedef void (*SZStateDictVisitor)(void *context, const char *name, SZTensor *tensor);
SZStatus sz_load_pickled_state_dict(const char *path, void *context, SZStateDictVisitor visit);

#ifdef __cplusplus
}
#endif

// MARK: - Gradient utilities for optimizers (clipping, scaling, non-finite checks)
//
// Kept in a separate block at the end of the file so that it can be merged independently of the sections above.

#ifdef __cplusplus
extern "C" {
#endif

/// The L2 norm of all elements of all tensors together, computed as torch.nn.utils.clip_grad_norm_ does: one
/// norm per tensor (_foreach_norm), then the norm of those norms. The result is a 0-d tensor on the first
/// tensor's device, in the promoted dtype of the tensors; an empty list gives a float32 zero on the CPU.
SZStatus sz_foreach_total_norm(SZTensor *const *tensors, int64_t count, SZTensor **out);
/// Multiplies every tensor in place by a one-element `factor` tensor, which is moved to each tensor's device, with
/// one _foreach_mul_ per device. Reading `factor` never copies it to the host, so a CUDA caller does not wait.
SZStatus sz_foreach_mul_tensor_(SZTensor *const *tensors, int64_t count, const SZTensor *factor);
/// Adds `value` to every tensor in place, with one _foreach_add_ per device (used to advance per-parameter step
/// counters before _fused_adamw_, which reads them but does not increment them).
SZStatus sz_foreach_add_scalar_(SZTensor *const *tensors, int64_t count, double value);
/// Sets *found to whether any element of any tensor is inf or NaN, and multiplies every tensor by `inv_scale`
/// (torch's _amp_foreach_non_finite_check_and_unscale_, one kernel per device). inv_scale 1 leaves values as they
/// are. Tensors must be floating point.
SZStatus sz_foreach_non_finite_check_and_unscale_(SZTensor *const *tensors, int64_t count, double inv_scale,
                                                  bool *found);
/// One LAMB step over `count` parameters that share one floating-point dtype and one device, built from _foreach
/// ops so that CUDA runs a few multi-tensor kernels per call. `steps` are the parameters' step counts after this
/// step (1 on the first), which set their bias corrections. Moments update in place; each parameter moves by
/// -lr · trust · r with r = m̂ / (√v̂ + eps) + weight_decay · w and trust = ‖w‖ / ‖r‖, or 1 when either norm is 0.
/// Norms of float16 and bfloat16 tensors are taken in float32. Nothing is copied to the host.
SZStatus sz_foreach_lamb_(SZTensor *const *params, SZTensor *const *grads, SZTensor *const *exp_avgs,
                          SZTensor *const *exp_avg_sqs, const int64_t *steps, int64_t count, double lr, double beta1,
                          double beta2, double weight_decay, double eps);

#ifdef __cplusplus
}
#endif
