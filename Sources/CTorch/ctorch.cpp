// libtorch shim: every entry point catches C++ exceptions and returns a status (see ctorch.h).
#include "ctorch.h"

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <ATen/Context.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct SZTensor {
  at::Tensor tensor;
};

struct SZGenerator {
  at::Generator generator;
};

namespace {

thread_local std::string lastError;
std::atomic<int64_t> liveTensors{0};

// Keeps the first line block of a c10 message; libtorch appends C++ frames after the text that matters.
std::string stripBacktrace(const std::string &message) {
  static const char *markers[] = {"\nException raised from ", "\nFrame ", "\n frame #"};
  size_t cut = message.size();
  for (const char *marker : markers) {
    size_t position = message.find(marker);
    if (position != std::string::npos && position < cut) cut = position;
  }
  std::string text = message.substr(0, cut);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

SZStatus fail(const std::string &message) {
  lastError = message;
  return SZ_ERROR;
}

SZTensor *wrap(at::Tensor tensor) {
  liveTensors.fetch_add(1, std::memory_order_relaxed);
  return new SZTensor{std::move(tensor)};
}

at::ScalarType scalarType(SZDType dtype) {
  switch (dtype) {
  case SZ_FLOAT32: return at::kFloat;
  case SZ_BFLOAT16: return at::kBFloat16;
  case SZ_FLOAT16: return at::kHalf;
  case SZ_INT64: return at::kLong;
  case SZ_INT32: return at::kInt;
  case SZ_BOOL: return at::kBool;
  case SZ_FLOAT64: return at::kDouble;
  case SZ_UINT8: return at::kByte;
  case SZ_INT16: return at::kShort;
  case SZ_INT8: return at::kChar;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(static_cast<int>(dtype)));
}

SZDType dtypeCode(at::ScalarType type) {
  switch (type) {
  case at::kFloat: return SZ_FLOAT32;
  case at::kBFloat16: return SZ_BFLOAT16;
  case at::kHalf: return SZ_FLOAT16;
  case at::kLong: return SZ_INT64;
  case at::kInt: return SZ_INT32;
  case at::kBool: return SZ_BOOL;
  case at::kDouble: return SZ_FLOAT64;
  case at::kByte: return SZ_UINT8;
  case at::kShort: return SZ_INT16;
  case at::kChar: return SZ_INT8;
  default: return SZ_FLOAT32;
  }
}

// libtorch_cpu alone has no CUDA backend; a CUDA build of libtorch registers it when libtorch_cuda.so loads.
bool loadCudaBackend() {
  static std::once_flag once;
  static bool loaded = false;
  std::call_once(once, [] {
    if (at::hasCUDA()) {
      loaded = true;
      return;
    }
    void *handle = dlopen("libtorch_cuda.so", RTLD_NOW | RTLD_GLOBAL);
    loaded = handle != nullptr && at::hasCUDA();
  });
  return loaded;
}

at::Device device(SZDeviceType type, int64_t index) {
  if (type == SZ_DEVICE_CPU) return at::Device(at::kCPU);
  if (!loadCudaBackend()) {
    throw std::invalid_argument(
        "CUDA was requested, but this libtorch build or machine has no CUDA device; use the cpu device, or point "
        "LIBTORCH at a CUDA build of libtorch on a machine with a GPU");
  }
  int64_t count = static_cast<int64_t>(at::detail::getCUDAHooks().deviceCount());
  if (index < 0 || index >= count) {
    throw std::invalid_argument("CUDA device index " + std::to_string(index) + " is out of range; this machine has " +
                                std::to_string(count) + " CUDA device(s)");
  }
  return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
}

std::vector<int64_t> sizesOf(const int64_t *sizes, int64_t ndim) {
  if (ndim < 0) throw std::invalid_argument("negative number of dimensions");
  if (ndim > 0 && sizes == nullptr) throw std::invalid_argument("missing sizes");
  return std::vector<int64_t>(sizes, sizes + ndim);
}

const at::Tensor &ref(const SZTensor *t) {
  if (t == nullptr) throw std::invalid_argument("null tensor handle");
  return t->tensor;
}

std::optional<at::Tensor> optionalRef(const SZTensor *t) {
  if (t == nullptr) return std::nullopt;
  return t->tensor;
}

std::optional<at::Generator> optionalGenerator(SZGenerator *gen) {
  if (gen == nullptr) return std::nullopt;
  return gen->generator;
}

std::vector<at::Tensor> tensorList(const SZTensor *const *tensors, int64_t count) {
  if (count < 0) throw std::invalid_argument("negative tensor count");
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) list.push_back(ref(tensors[i]));
  return list;
}

at::Reduction::Reduction reductionOf(SZReduction reduction) {
  switch (reduction) {
  case SZ_REDUCTION_NONE: return at::Reduction::None;
  case SZ_REDUCTION_MEAN: return at::Reduction::Mean;
  case SZ_REDUCTION_SUM: return at::Reduction::Sum;
  }
  throw std::invalid_argument("unknown reduction code");
}

struct AutocastFrame {
  at::DeviceType device;
  bool wasEnabled;
  at::ScalarType previousDtype;
};
thread_local std::vector<AutocastFrame> autocastStack;

} // namespace

namespace {
template <typename Other> at::Tensor applyBinary(SZBinaryOp op, const at::Tensor &a, const Other &b) {
  switch (op) {
  case SZ_BINARY_ADD: return at::add(a, b);
  case SZ_BINARY_SUB: return at::sub(a, b);
  case SZ_BINARY_MUL: return at::mul(a, b);
  case SZ_BINARY_DIV: return at::div(a, b);
  case SZ_BINARY_POW: return at::pow(a, b);
  case SZ_BINARY_EQ: return at::eq(a, b);
  case SZ_BINARY_NE: return at::ne(a, b);
  case SZ_BINARY_LT: return at::lt(a, b);
  case SZ_BINARY_LE: return at::le(a, b);
  case SZ_BINARY_GT: return at::gt(a, b);
  case SZ_BINARY_GE: return at::ge(a, b);
  default: break;
  }
  throw std::invalid_argument("unsupported binary op code for this operand kind");
}
} // namespace

#define SZ_TRY(body)                                                                                                 \
  try {                                                                                                              \
    body;                                                                                                            \
    return SZ_OK;                                                                                                    \
  } catch (const c10::Error &error) {                                                                                \
    return fail(stripBacktrace(error.what_without_backtrace()));                                                     \
  } catch (const std::exception &error) {                                                                            \
    return fail(stripBacktrace(error.what()));                                                                       \
  } catch (...) {                                                                                                    \
    return fail("unknown C++ exception");                                                                            \
  }

#define SZ_OUT(expr) SZ_TRY(*out = wrap(expr))

extern "C" {

// MARK: - Errors, bookkeeping, runtime

const char *sz_last_error(void) { return lastError.c_str(); }
int64_t sz_live_tensor_count(void) { return liveTensors.load(std::memory_order_relaxed); }
const char *sz_torch_version(void) { return TORCH_VERSION; }

bool sz_cuda_is_available(void) {
  try {
    return loadCudaBackend() && at::detail::getCUDAHooks().deviceCount() > 0;
  } catch (...) {
    return false;
  }
}

int64_t sz_cuda_device_count(void) {
  try {
    return loadCudaBackend() ? static_cast<int64_t>(at::detail::getCUDAHooks().deviceCount()) : 0;
  } catch (...) {
    return 0;
  }
}

SZStatus sz_set_num_threads(int64_t count) {
  SZ_TRY({
    if (count < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(count));
    at::set_num_threads(static_cast<int>(count));
  })
}

int64_t sz_get_num_threads(void) { return at::get_num_threads(); }

SZStatus sz_manual_seed(uint64_t seed) { SZ_TRY(at::manual_seed(seed)) }

// MARK: - Generators

SZStatus sz_generator_new(SZDeviceType type, int64_t index, uint64_t seed, SZGenerator **out) {
  SZ_TRY({
    at::Device dev = device(type, index);
    at::Generator generator;
    if (dev.is_cpu()) {
      generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    } else {
      generator = at::detail::getCUDAHooks().getNewGenerator(dev.index());
      generator.set_current_seed(seed);
    }
    *out = new SZGenerator{generator};
  })
}

void sz_generator_free(SZGenerator *gen) { delete gen; }

SZStatus sz_generator_set_seed(SZGenerator *gen, uint64_t seed) {
  SZ_TRY({
    at::Generator generator = gen ? gen->generator : at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_current_seed(seed);
  })
}

SZStatus sz_generator_get_state(SZGenerator *gen, SZTensor **out) {
  SZ_TRY({
    at::Generator generator = gen ? gen->generator : at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    *out = wrap(generator.get_state());
  })
}

SZStatus sz_generator_set_state(SZGenerator *gen, const SZTensor *state) {
  SZ_TRY({
    at::Generator generator = gen ? gen->generator : at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(ref(state));
  })
}

// MARK: - Tensor lifetime and metadata

void sz_tensor_free(SZTensor *t) {
  if (t == nullptr) return;
  liveTensors.fetch_sub(1, std::memory_order_relaxed);
  delete t;
}

int64_t sz_tensor_dim(const SZTensor *t) { return t->tensor.dim(); }

void sz_tensor_sizes(const SZTensor *t, int64_t *sizes, int64_t capacity) {
  auto shape = t->tensor.sizes();
  for (int64_t i = 0; i < capacity && i < static_cast<int64_t>(shape.size()); ++i) sizes[i] = shape[i];
}

int64_t sz_tensor_numel(const SZTensor *t) { return t->tensor.numel(); }
SZDType sz_tensor_dtype(const SZTensor *t) { return dtypeCode(t->tensor.scalar_type()); }
SZDeviceType sz_tensor_device_type(const SZTensor *t) {
  return t->tensor.device().is_cuda() ? SZ_DEVICE_CUDA : SZ_DEVICE_CPU;
}
int64_t sz_tensor_device_index(const SZTensor *t) { return t->tensor.device().index(); }
bool sz_tensor_requires_grad(const SZTensor *t) { return t->tensor.requires_grad(); }
bool sz_tensor_is_defined(const SZTensor *t) { return t->tensor.defined(); }

SZStatus sz_tensor_shallow_copy(const SZTensor *t, SZTensor **out) { SZ_OUT(ref(t)) }

// MARK: - Creation and host transfer

SZStatus sz_tensor_from_blob(const void *data, size_t nbytes, const int64_t *sizes, int64_t ndim, SZDType dtype,
                             SZTensor **out) {
  SZ_TRY({
    auto shape = sizesOf(sizes, ndim);
    auto options = at::TensorOptions().dtype(scalarType(dtype));
    at::Tensor tensor = at::empty(shape, options);
    size_t expected = static_cast<size_t>(tensor.numel()) * tensor.element_size();
    if (expected != nbytes) {
      throw std::invalid_argument("host buffer has " + std::to_string(nbytes) + " bytes but shape " +
                                  c10::str(tensor.sizes()) + " needs " + std::to_string(expected));
    }
    if (nbytes > 0) std::memcpy(tensor.data_ptr(), data, nbytes);
    *out = wrap(tensor);
  })
}

SZStatus sz_tensor_copy_to_host(const SZTensor *t, void *dst, size_t nbytes) {
  SZ_TRY({
    at::Tensor host = ref(t).detach().to(at::kCPU).contiguous();
    size_t expected = static_cast<size_t>(host.numel()) * host.element_size();
    if (expected != nbytes) {
      throw std::invalid_argument("destination has " + std::to_string(nbytes) + " bytes but the tensor has " +
                                  std::to_string(expected));
    }
    if (nbytes > 0) std::memcpy(dst, host.data_ptr(), nbytes);
  })
}

SZStatus sz_tensor_full(const int64_t *sizes, int64_t ndim, double value, SZDType dtype, SZDeviceType dev,
                        int64_t index, SZTensor **out) {
  SZ_OUT(at::full(sizesOf(sizes, ndim), value, at::TensorOptions().dtype(scalarType(dtype)).device(device(dev, index))))
}

SZStatus sz_tensor_arange(double start, double end, double step, SZDType dtype, SZDeviceType dev, int64_t index,
                          SZTensor **out) {
  SZ_OUT(at::arange(start, end, step, at::TensorOptions().dtype(scalarType(dtype)).device(device(dev, index))))
}

SZStatus sz_tensor_random(int kind, const int64_t *sizes, int64_t ndim, SZDType dtype, SZDeviceType dev,
                          int64_t index, SZGenerator *gen, SZTensor **out) {
  SZ_TRY({
    auto options = at::TensorOptions().dtype(scalarType(dtype)).device(device(dev, index));
    auto shape = sizesOf(sizes, ndim);
    if (kind == 0) {
      *out = wrap(at::randn(shape, optionalGenerator(gen), options));
    } else {
      *out = wrap(at::rand(shape, optionalGenerator(gen), options));
    }
  })
}

SZStatus sz_tensor_randint(int64_t low, int64_t high, const int64_t *sizes, int64_t ndim, SZDeviceType dev,
                           int64_t index, SZGenerator *gen, SZTensor **out) {
  SZ_OUT(at::randint(low, high, sizesOf(sizes, ndim), optionalGenerator(gen),
                     at::TensorOptions().dtype(at::kLong).device(device(dev, index))))
}

SZStatus sz_tensor_to(const SZTensor *t, SZDType dtype, SZDeviceType dev, int64_t index, SZTensor **out) {
  SZ_OUT(ref(t).to(device(dev, index), scalarType(dtype)))
}

SZStatus sz_tensor_item_double(const SZTensor *t, double *out) { SZ_TRY(*out = ref(t).item<double>()) }
SZStatus sz_tensor_item_int64(const SZTensor *t, int64_t *out) { SZ_TRY(*out = ref(t).item<int64_t>()) }

// MARK: - Shape and indexing

SZStatus sz_tensor_reshape(const SZTensor *t, const int64_t *sizes, int64_t ndim, SZTensor **out) {
  SZ_OUT(ref(t).reshape(sizesOf(sizes, ndim)))
}
SZStatus sz_tensor_permute(const SZTensor *t, const int64_t *dims, int64_t ndim, SZTensor **out) {
  SZ_OUT(ref(t).permute(sizesOf(dims, ndim)))
}
SZStatus sz_tensor_transpose(const SZTensor *t, int64_t dim0, int64_t dim1, SZTensor **out) {
  SZ_OUT(ref(t).transpose(dim0, dim1))
}
SZStatus sz_tensor_expand(const SZTensor *t, const int64_t *sizes, int64_t ndim, SZTensor **out) {
  SZ_OUT(ref(t).expand(sizesOf(sizes, ndim)))
}
SZStatus sz_tensor_contiguous(const SZTensor *t, SZTensor **out) { SZ_OUT(ref(t).contiguous()) }
SZStatus sz_tensor_unsqueeze(const SZTensor *t, int64_t dim, SZTensor **out) { SZ_OUT(ref(t).unsqueeze(dim)) }
SZStatus sz_tensor_squeeze(const SZTensor *t, int64_t dim, SZTensor **out) { SZ_OUT(ref(t).squeeze(dim)) }
SZStatus sz_tensor_slice(const SZTensor *t, int64_t dim, int64_t start, int64_t end, int64_t step, SZTensor **out) {
  SZ_OUT(ref(t).slice(dim, start, end, step))
}
SZStatus sz_tensor_select(const SZTensor *t, int64_t dim, int64_t index, SZTensor **out) {
  SZ_OUT(ref(t).select(dim, index))
}
SZStatus sz_tensor_index_select(const SZTensor *t, int64_t dim, const SZTensor *index, SZTensor **out) {
  SZ_OUT(ref(t).index_select(dim, ref(index)))
}
SZStatus sz_tensor_index(const SZTensor *t, const SZTensor *index, SZTensor **out) {
  SZ_TRY({
    c10::List<std::optional<at::Tensor>> indices;
    indices.push_back(ref(index));
    *out = wrap(at::index(ref(t), indices));
  })
}
SZStatus sz_tensor_gather(const SZTensor *t, int64_t dim, const SZTensor *index, SZTensor **out) {
  SZ_OUT(ref(t).gather(dim, ref(index)))
}
SZStatus sz_tensor_scatter(const SZTensor *t, int64_t dim, const SZTensor *index, const SZTensor *src,
                           SZTensor **out) {
  SZ_OUT(ref(t).scatter(dim, ref(index), ref(src)))
}
SZStatus sz_tensor_scatter_add(const SZTensor *t, int64_t dim, const SZTensor *index, const SZTensor *src,
                               SZTensor **out) {
  SZ_OUT(ref(t).scatter_add(dim, ref(index), ref(src)))
}
SZStatus sz_tensor_masked_select(const SZTensor *t, const SZTensor *mask, SZTensor **out) {
  SZ_OUT(ref(t).masked_select(ref(mask)))
}
SZStatus sz_tensor_masked_fill(const SZTensor *t, const SZTensor *mask, double value, SZTensor **out) {
  SZ_OUT(ref(t).masked_fill(ref(mask), value))
}
SZStatus sz_tensor_where(const SZTensor *cond, const SZTensor *a, const SZTensor *b, SZTensor **out) {
  SZ_OUT(at::where(ref(cond), ref(a), ref(b)))
}
SZStatus sz_tensor_nonzero(const SZTensor *t, SZTensor **out) { SZ_OUT(ref(t).nonzero()) }
SZStatus sz_tensor_cat(const SZTensor *const *tensors, int64_t count, int64_t dim, SZTensor **out) {
  SZ_OUT(at::cat(tensorList(tensors, count), dim))
}
SZStatus sz_tensor_stack(const SZTensor *const *tensors, int64_t count, int64_t dim, SZTensor **out) {
  SZ_OUT(at::stack(tensorList(tensors, count), dim))
}
SZStatus sz_tensor_topk(const SZTensor *t, int64_t k, int64_t dim, bool largest, SZTensor **values,
                        SZTensor **indices) {
  SZ_TRY({
    auto result = ref(t).topk(k, dim, largest, /*sorted=*/true);
    *values = wrap(std::get<0>(result));
    *indices = wrap(std::get<1>(result));
  })
}
SZStatus sz_tensor_tril(const SZTensor *t, int64_t diagonal, SZTensor **out) { SZ_OUT(ref(t).tril(diagonal)) }

// MARK: - Math

SZStatus sz_tensor_unary(SZUnaryOp op, const SZTensor *t, SZTensor **out) {
  SZ_TRY({
    const at::Tensor &x = ref(t);
    at::Tensor y;
    switch (op) {
    case SZ_UNARY_NEG: y = x.neg(); break;
    case SZ_UNARY_EXP: y = x.exp(); break;
    case SZ_UNARY_LOG: y = x.log(); break;
    case SZ_UNARY_SQRT: y = x.sqrt(); break;
    case SZ_UNARY_RSQRT: y = x.rsqrt(); break;
    case SZ_UNARY_ABS: y = x.abs(); break;
    case SZ_UNARY_TANH: y = x.tanh(); break;
    case SZ_UNARY_SIGMOID: y = x.sigmoid(); break;
    case SZ_UNARY_RELU: y = x.relu(); break;
    case SZ_UNARY_GELU_ERF: y = at::gelu(x, "none"); break;
    case SZ_UNARY_GELU_TANH: y = at::gelu(x, "tanh"); break;
    case SZ_UNARY_SILU: y = at::silu(x); break;
    case SZ_UNARY_LOGICAL_NOT: y = x.logical_not(); break;
    case SZ_UNARY_ISFINITE: y = x.isfinite(); break;
    case SZ_UNARY_SQUARE: y = x.square(); break;
    case SZ_UNARY_RECIPROCAL: y = x.reciprocal(); break;
    default: throw std::invalid_argument("unknown unary op code");
    }
    *out = wrap(y);
  })
}


SZStatus sz_tensor_binary(SZBinaryOp op, const SZTensor *a, const SZTensor *b, SZTensor **out) {
  SZ_TRY({
    const at::Tensor &x = ref(a);
    const at::Tensor &y = ref(b);
    switch (op) {
    case SZ_BINARY_MAXIMUM: *out = wrap(at::maximum(x, y)); break;
    case SZ_BINARY_MINIMUM: *out = wrap(at::minimum(x, y)); break;
    case SZ_BINARY_LOGICAL_AND: *out = wrap(at::logical_and(x, y)); break;
    case SZ_BINARY_LOGICAL_OR: *out = wrap(at::logical_or(x, y)); break;
    default: *out = wrap(applyBinary(op, x, y)); break;
    }
  })
}

SZStatus sz_tensor_binary_scalar(SZBinaryOp op, const SZTensor *a, double b, SZTensor **out) {
  SZ_TRY({
    const at::Tensor &x = ref(a);
    switch (op) {
    case SZ_BINARY_MAXIMUM: *out = wrap(at::clamp_min(x, b)); break;
    case SZ_BINARY_MINIMUM: *out = wrap(at::clamp_max(x, b)); break;
    default: *out = wrap(applyBinary(op, x, at::Scalar(b))); break;
    }
  })
}

SZStatus sz_tensor_reduce(SZReduceOp op, const SZTensor *t, const int64_t *dims, int64_t ndim, bool keepdim,
                          SZTensor **out) {
  SZ_TRY({
    const at::Tensor &x = ref(t);
    std::vector<int64_t> axes = sizesOf(dims, ndim);
    bool all = axes.empty();
    auto singleAxis = [&](const char *name) -> int64_t {
      if (axes.size() != 1) throw std::invalid_argument(std::string(name) + " reduces over exactly one dimension");
      return axes[0];
    };
    at::Tensor y;
    switch (op) {
    case SZ_REDUCE_SUM: y = all ? x.sum() : x.sum(axes, keepdim); break;
    case SZ_REDUCE_MEAN: y = all ? x.mean() : x.mean(axes, keepdim); break;
    case SZ_REDUCE_MAX: y = all ? x.max() : std::get<0>(x.max(singleAxis("max"), keepdim)); break;
    case SZ_REDUCE_MIN: y = all ? x.min() : std::get<0>(x.min(singleAxis("min"), keepdim)); break;
    case SZ_REDUCE_PROD: y = all ? x.prod() : x.prod(singleAxis("prod"), keepdim); break;
    case SZ_REDUCE_ARGMAX: y = all ? x.argmax() : x.argmax(singleAxis("argmax"), keepdim); break;
    case SZ_REDUCE_ARGMIN: y = all ? x.argmin() : x.argmin(singleAxis("argmin"), keepdim); break;
    case SZ_REDUCE_ANY: y = all ? x.any() : x.any(singleAxis("any"), keepdim); break;
    case SZ_REDUCE_ALL: y = all ? x.all() : x.all(singleAxis("all"), keepdim); break;
    case SZ_REDUCE_LOGSUMEXP:
      y = all ? x.flatten().logsumexp(0) : x.logsumexp(axes, keepdim);
      break;
    case SZ_REDUCE_NORM2: y = all ? x.norm() : x.norm(2, axes, keepdim); break;
    default: throw std::invalid_argument("unknown reduction op code");
    }
    *out = wrap(y);
  })
}

SZStatus sz_tensor_clamp(const SZTensor *t, double min, double max, SZTensor **out) {
  SZ_OUT(ref(t).clamp(min, max))
}
SZStatus sz_tensor_matmul(const SZTensor *a, const SZTensor *b, SZTensor **out) { SZ_OUT(at::matmul(ref(a), ref(b))) }
SZStatus sz_tensor_bmm(const SZTensor *a, const SZTensor *b, SZTensor **out) { SZ_OUT(at::bmm(ref(a), ref(b))) }
SZStatus sz_tensor_linear(const SZTensor *x, const SZTensor *weight, const SZTensor *bias, SZTensor **out) {
  SZ_OUT(at::linear(ref(x), ref(weight), optionalRef(bias)))
}
SZStatus sz_tensor_softmax(const SZTensor *t, int64_t dim, SZTensor **out) { SZ_OUT(at::softmax(ref(t), dim)) }
SZStatus sz_tensor_log_softmax(const SZTensor *t, int64_t dim, SZTensor **out) {
  SZ_OUT(at::log_softmax(ref(t), dim))
}

SZStatus sz_tensor_layer_norm(const SZTensor *x, int64_t normalized_last_dims, const SZTensor *weight,
                              const SZTensor *bias, double eps, SZTensor **out) {
  SZ_TRY({
    const at::Tensor &input = ref(x);
    if (normalized_last_dims < 1 || normalized_last_dims > input.dim()) {
      throw std::invalid_argument("layer_norm normalizes 1 to " + std::to_string(input.dim()) +
                                  " trailing dimensions, got " + std::to_string(normalized_last_dims));
    }
    auto sizes = input.sizes();
    std::vector<int64_t> shape(sizes.end() - normalized_last_dims, sizes.end());
    *out = wrap(at::layer_norm(input, shape, optionalRef(weight), optionalRef(bias), eps));
  })
}

namespace {
thread_local SZGenerator *threadDropoutGenerator = nullptr;
}

SZGenerator *sz_set_thread_dropout_generator(SZGenerator *gen) {
  SZGenerator *previous = threadDropoutGenerator;
  threadDropoutGenerator = gen;
  return previous;
}

SZStatus sz_tensor_dropout(const SZTensor *x, double p, bool train, SZGenerator *gen, SZTensor **out) {
  if (gen == nullptr) gen = threadDropoutGenerator;
  SZ_TRY({
    const at::Tensor &input = ref(x);
    if (p < 0 || p > 1) throw std::invalid_argument("dropout probability must be in [0, 1], got " + std::to_string(p));
    if (!train || p == 0) {
      *out = wrap(input);
    } else if (gen == nullptr) {
      *out = wrap(at::dropout(input, p, true));
    } else if (p == 1) {
      *out = wrap(input * 0);
    } else {
      at::Tensor keep = at::empty_like(input).bernoulli_(1 - p, gen->generator);
      *out = wrap(input * keep * (1.0 / (1 - p)));
    }
  })
}

SZStatus sz_tensor_embedding(const SZTensor *weight, const SZTensor *indices, int64_t padding_idx, SZTensor **out) {
  SZ_OUT(at::embedding(ref(weight), ref(indices), padding_idx))
}

SZStatus sz_tensor_sdpa(const SZTensor *q, const SZTensor *k, const SZTensor *v, const SZTensor *mask,
                        double dropout_p, bool is_causal, double scale, SZTensor **out) {
  SZ_TRY({
    std::optional<double> customScale;
    if (scale > 0) customScale = scale;
    *out = wrap(at::scaled_dot_product_attention(ref(q), ref(k), ref(v), optionalRef(mask), dropout_p, is_causal,
                                                 customScale));
  })
}

SZStatus sz_tensor_cross_entropy(const SZTensor *logits, const SZTensor *target, int64_t ignore_index,
                                 SZReduction reduction, double label_smoothing, SZTensor **out) {
  SZ_OUT(at::cross_entropy_loss(ref(logits), ref(target), std::nullopt, reductionOf(reduction), ignore_index,
                                label_smoothing))
}

SZStatus sz_tensor_kl_div_log_target(const SZTensor *input_log, const SZTensor *target_log, SZReduction reduction,
                                     SZTensor **out) {
  SZ_OUT(at::kl_div(ref(input_log), ref(target_log), reductionOf(reduction), /*log_target=*/true))
}

// MARK: - In-place updates

SZStatus sz_tensor_copy_(SZTensor *dst, const SZTensor *src) {
  SZ_TRY({
    at::NoGradGuard guard;
    if (dst == nullptr) throw std::invalid_argument("null tensor handle");
    const at::Tensor &source = ref(src);
    if (dst->tensor.sizes() != source.sizes()) {
      throw std::invalid_argument("copy needs equal shapes, got destination " + c10::str(dst->tensor.sizes()) +
                                  " and source " + c10::str(source.sizes()));
    }
    dst->tensor.copy_(source);
  })
}
SZStatus sz_tensor_fill_(SZTensor *t, double value) {
  SZ_TRY({
    at::NoGradGuard guard;
    if (t == nullptr) throw std::invalid_argument("null tensor handle");
    t->tensor.fill_(value);
  })
}
SZStatus sz_tensor_add_scaled_(SZTensor *t, const SZTensor *other, double alpha) {
  SZ_TRY({
    at::NoGradGuard guard;
    if (t == nullptr) throw std::invalid_argument("null tensor handle");
    t->tensor.add_(ref(other), alpha);
  })
}
SZStatus sz_tensor_mul_scalar_(SZTensor *t, double value) {
  SZ_TRY({
    at::NoGradGuard guard;
    if (t == nullptr) throw std::invalid_argument("null tensor handle");
    t->tensor.mul_(value);
  })
}

// MARK: - Autograd

SZStatus sz_tensor_set_requires_grad(SZTensor *t, bool requires_grad) {
  SZ_TRY({
    if (t == nullptr) throw std::invalid_argument("null tensor handle");
    t->tensor.set_requires_grad(requires_grad);
  })
}

SZStatus sz_tensor_backward(const SZTensor *t, const SZTensor *gradient, bool retain_graph) {
  SZ_TRY({
    const at::Tensor &output = ref(t);
    if (!output.requires_grad()) {
      throw std::invalid_argument("backward called on a tensor that does not require grad; it was computed from "
                                  "no parameter that requires grad, or inside a no-grad scope");
    }
    if (gradient == nullptr && output.numel() != 1) {
      throw std::invalid_argument("backward without a gradient needs a scalar, got shape " +
                                  c10::str(output.sizes()));
    }
    output.backward(gradient ? gradient->tensor : at::Tensor(), retain_graph, false);
  })
}

SZStatus sz_tensor_grad(const SZTensor *t, SZTensor **out) {
  SZ_TRY({
    const at::Tensor &grad = ref(t).grad();
    *out = grad.defined() ? wrap(grad) : nullptr;
  })
}

SZStatus sz_tensor_set_grad(SZTensor *t, const SZTensor *grad) {
  SZ_TRY({
    if (t == nullptr) throw std::invalid_argument("null tensor handle");
    t->tensor.mutable_grad() = grad ? grad->tensor : at::Tensor();
  })
}

SZStatus sz_tensor_zero_grad(SZTensor *t) {
  SZ_TRY({
    if (t == nullptr) throw std::invalid_argument("null tensor handle");
    t->tensor.mutable_grad() = at::Tensor();
  })
}

SZStatus sz_tensor_detach(const SZTensor *t, SZTensor **out) { SZ_OUT(ref(t).detach()) }
SZStatus sz_tensor_clone(const SZTensor *t, SZTensor **out) { SZ_OUT(ref(t).clone()) }

bool sz_set_grad_enabled(bool enabled) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled);
  return previous;
}

bool sz_is_grad_enabled(void) { return c10::GradMode::is_enabled(); }

SZStatus sz_autocast_enter(SZDeviceType dev, SZDType dtype) {
  SZ_TRY({
    at::DeviceType type = dev == SZ_DEVICE_CUDA ? at::kCUDA : at::kCPU;
    at::ScalarType scalar = scalarType(dtype);
    if (scalar != at::kBFloat16 && scalar != at::kHalf) {
      throw std::invalid_argument("autocast needs bfloat16 or float16");
    }
    if (type == at::kCUDA && !loadCudaBackend()) {
      throw std::invalid_argument("CUDA autocast was requested, but this libtorch build or machine has no CUDA");
    }
    autocastStack.push_back({type, at::autocast::is_autocast_enabled(type), at::autocast::get_autocast_dtype(type)});
    at::autocast::set_autocast_enabled(type, true);
    at::autocast::set_autocast_dtype(type, scalar);
    at::autocast::increment_nesting();
  })
}

SZStatus sz_autocast_exit(SZDeviceType dev) {
  SZ_TRY({
    at::DeviceType type = dev == SZ_DEVICE_CUDA ? at::kCUDA : at::kCPU;
    if (autocastStack.empty() || autocastStack.back().device != type) {
      throw std::invalid_argument("autocast exit without a matching enter on this thread");
    }
    AutocastFrame frame = autocastStack.back();
    autocastStack.pop_back();
    at::autocast::set_autocast_enabled(type, frame.wasEnabled);
    at::autocast::set_autocast_dtype(type, frame.previousDtype);
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  })
}

// MARK: - Optimizer kernels

SZStatus sz_fused_adamw(SZTensor *const *params, SZTensor *const *grads, SZTensor *const *exp_avgs,
                        SZTensor *const *exp_avg_sqs, SZTensor *const *steps, int64_t count, double lr, double beta1,
                        double beta2, double weight_decay, double eps) {
  SZ_TRY({
    at::NoGradGuard guard;
    auto p = tensorList(params, count);
    auto g = tensorList(grads, count);
    auto m = tensorList(exp_avgs, count);
    auto v = tensorList(exp_avg_sqs, count);
    auto s = tensorList(steps, count);
    at::_fused_adamw_(p, g, m, v, {}, s, lr, beta1, beta2, weight_decay, eps, false, false);
  })
}

SZStatus sz_total_norm_squared(SZTensor *const *tensors, int64_t count, SZTensor **out) {
  SZ_TRY({
    at::NoGradGuard guard;
    auto list = tensorList(tensors, count);
    if (list.empty()) {
      *out = wrap(at::zeros({}, at::kFloat));
      return SZ_OK;
    }
    auto norms = at::_foreach_norm(list, 2);
    at::Tensor total = at::zeros({}, list[0].options().dtype(at::kFloat));
    for (auto &norm : norms) total = total + norm.to(at::kFloat).square();
    *out = wrap(total);
  })
}

// MARK: - Serialization

SZStatus sz_load_pickled_state_dict(const char *path, void *context, SZStateDictVisitor visit) {
  SZ_TRY({
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error(std::string("cannot open ") + path);
    std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    c10::IValue value = torch::jit::pickle_load(bytes);
    if (!value.isGenericDict()) {
      throw std::runtime_error(std::string(path) + " does not contain a state dict (a mapping of names to tensors)");
    }
    for (const auto &entry : value.toGenericDict()) {
      if (!entry.key().isString() || !entry.value().isTensor()) continue;
      visit(context, entry.key().toStringRef().c_str(), wrap(entry.value().toTensor()));
    }
  })
}

} // extern "C"

// MARK: - Gradient utilities for optimizers (clipping, scaling, non-finite checks)
//
// Kept in a separate block at the end of the file so that it can be merged independently of the sections above.

#include <algorithm>
#include <cmath>

namespace {

// Splits a tensor list by device, keeping the original order inside each group, for _foreach ops whose fast path
// needs one device per call.
std::vector<std::pair<at::Device, std::vector<at::Tensor>>> groupByDevice(const std::vector<at::Tensor> &tensors) {
  std::vector<std::pair<at::Device, std::vector<at::Tensor>>> groups;
  for (const auto &tensor : tensors) {
    auto match = std::find_if(groups.begin(), groups.end(),
                              [&](const auto &group) { return group.first == tensor.device(); });
    if (match == groups.end()) {
      groups.push_back({tensor.device(), {tensor}});
    } else {
      match->second.push_back(tensor);
    }
  }
  return groups;
}

void requireFloatingPoint(const std::vector<at::Tensor> &tensors, const char *op) {
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!tensors[i].defined()) {
      throw std::invalid_argument(std::string(op) + ": tensor " + std::to_string(i) + " is undefined");
    }
    if (!at::isFloatingType(tensors[i].scalar_type())) {
      throw std::invalid_argument(std::string(op) + " needs floating-point tensors, but tensor " + std::to_string(i) +
                                  " has dtype " + c10::toString(tensors[i].scalar_type()));
    }
  }
}

} // namespace

extern "C" {

SZStatus sz_foreach_total_norm(SZTensor *const *tensors, int64_t count, SZTensor **out) {
  SZ_TRY({
    at::NoGradGuard guard;
    auto list = tensorList(tensors, count);
    requireFloatingPoint(list, "total norm");
    if (list.empty()) {
      *out = wrap(at::zeros({}, at::kFloat));
      return SZ_OK;
    }
    at::Device first = list[0].device();
    std::vector<at::Tensor> norms;
    norms.reserve(list.size());
    for (const auto &group : groupByDevice(list)) {
      for (auto &norm : at::_foreach_norm(group.second, 2)) norms.push_back(norm.to(first));
    }
    *out = wrap(at::linalg_vector_norm(at::stack(norms), 2));
  })
}

SZStatus sz_foreach_mul_tensor_(SZTensor *const *tensors, int64_t count, const SZTensor *factor) {
  SZ_TRY({
    at::NoGradGuard guard;
    auto list = tensorList(tensors, count);
    const at::Tensor &scale = ref(factor);
    if (scale.numel() != 1) {
      throw std::invalid_argument("the scale factor must have one element, got shape " + c10::str(scale.sizes()));
    }
    at::Tensor scalar = scale.reshape({});
    for (auto &group : groupByDevice(list)) at::_foreach_mul_(group.second, scalar.to(group.first));
  })
}

SZStatus sz_foreach_add_scalar_(SZTensor *const *tensors, int64_t count, double value) {
  SZ_TRY({
    at::NoGradGuard guard;
    auto list = tensorList(tensors, count);
    for (auto &group : groupByDevice(list)) at::_foreach_add_(group.second, value);
  })
}

SZStatus sz_foreach_lamb_(SZTensor *const *params, SZTensor *const *grads, SZTensor *const *exp_avgs,
                          SZTensor *const *exp_avg_sqs, const int64_t *steps, int64_t count, double lr, double beta1,
                          double beta2, double weight_decay, double eps) {
  SZ_TRY({
    at::NoGradGuard guard;
    auto p = tensorList(params, count);
    auto g = tensorList(grads, count);
    auto m = tensorList(exp_avgs, count);
    auto v = tensorList(exp_avg_sqs, count);
    if (p.empty()) return SZ_OK;
    if (steps == nullptr) throw std::invalid_argument("lamb: missing step counts");
    requireFloatingPoint(p, "lamb");
    const at::Device device = p[0].device();
    const at::ScalarType dtype = p[0].scalar_type();
    std::vector<at::Scalar> inverseBiasCorrection1;
    std::vector<at::Scalar> biasCorrection2;
    for (size_t i = 0; i < p.size(); ++i) {
      for (const at::Tensor *tensor : {&p[i], &g[i], &m[i], &v[i]}) {
        if (tensor->device() != device || tensor->scalar_type() != dtype) {
          throw std::invalid_argument("lamb: parameter " + std::to_string(i) +
                                      " or its gradient or state differs in device or dtype from parameter 0");
        }
      }
      if (steps[i] < 1) throw std::invalid_argument("lamb: step counts start at 1");
      const double step = static_cast<double>(steps[i]);
      inverseBiasCorrection1.emplace_back(1.0 / (1.0 - std::pow(beta1, step)));
      biasCorrection2.emplace_back(1.0 - std::pow(beta2, step));
    }

    at::_foreach_lerp_(m, g, 1.0 - beta1);
    at::_foreach_mul_(v, beta2);
    at::_foreach_addcmul_(v, g, g, 1.0 - beta2);

    // One scratch list becomes r: v̂, then 1 / (√v̂ + eps), then m̂ / (√v̂ + eps) (+ weight_decay · w).
    auto r = at::_foreach_div(v, biasCorrection2);
    at::_foreach_sqrt_(r);
    at::_foreach_add_(r, eps);
    at::_foreach_reciprocal_(r);
    at::_foreach_mul_(r, m);
    at::_foreach_mul_(r, inverseBiasCorrection1);
    if (weight_decay != 0) at::_foreach_add_(r, p, weight_decay);

    std::optional<at::ScalarType> normType;
    if (dtype == at::kHalf || dtype == at::kBFloat16) normType = at::kFloat;
    at::Tensor weightNorms = at::stack(at::_foreach_norm(p, 2, normType));
    at::Tensor updateNorms = at::stack(at::_foreach_norm(r, 2, normType));
    at::Tensor bothPositive = weightNorms.gt(0).logical_and(updateNorms.gt(0));
    at::Tensor trust = at::where(bothPositive, weightNorms / updateNorms, at::ones_like(weightNorms));
    std::vector<at::Tensor> trustPerTensor = trust.unbind(0);
    at::_foreach_mul_(r, trustPerTensor);
    at::_foreach_add_(p, r, -lr);
  })
}

SZStatus sz_foreach_non_finite_check_and_unscale_(SZTensor *const *tensors, int64_t count, double inv_scale,
                                                  bool *found) {
  SZ_TRY({
    at::NoGradGuard guard;
    if (found == nullptr) throw std::invalid_argument("missing output flag");
    auto list = tensorList(tensors, count);
    requireFloatingPoint(list, "non-finite check");
    std::vector<at::Tensor> flags;
    for (auto &group : groupByDevice(list)) {
      auto options = at::TensorOptions().dtype(at::kFloat).device(group.first);
      at::Tensor flag = at::zeros({1}, options);
      at::Tensor scale = at::full({1}, inv_scale, options);
      at::_amp_foreach_non_finite_check_and_unscale_(group.second, flag, scale);
      flags.push_back(flag.to(at::kCPU));
    }
    bool any = false;
    for (const auto &flag : flags) any = any || flag.item<float>() != 0;
    *found = any;
  })
}

} // extern "C"
