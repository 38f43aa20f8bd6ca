"""PyTorch's checks and messages for what a user does to a tensor directly
(assigning ``.grad``, ``detach_()`` on a view): kept out of tensor.py, off the
engine's path."""

from .dtypes import legacy_type_name

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)


DETACH_VIEW_MESSAGE = (
    "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
    "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
    "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
    "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
)


def check_assigned_grad(tensor, value):
    """PyTorch's checks on ``tensor.grad = value`` (off the engine's path: only user assignments)."""
    if not isinstance(value, type(tensor)):
        raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
    if value is tensor:
        raise RuntimeError("can't assign Variable as its own grad")
    if value._data.dtype != tensor._data.dtype:
        raise RuntimeError(
            f"attempting to assign a gradient with dtype '{c_type_name(value._data.dtype)}' to a tensor "
            f"with grad_dtype '{_legacy_short(tensor._data.dtype)}'. The gradient must match the tensor's "
            "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute "
            "with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging "
            "the dtypes of a tensor and its gradient may break downstream systems that assume they match."
        )
    if value._data.shape != tensor._data.shape:
        raise RuntimeError(
            f"attempting to assign a gradient of size '[{', '.join(map(str, value._data.shape))}]' to a "
            f"tensor of size '[{', '.join(map(str, tensor._data.shape))}]'. Please ensure that the "
            "gradient and the tensor are the same size"
        )


def c_type_name(np_dtype):
    """The C++ name PyTorch uses for a dtype in some messages: float64 -> "double"."""
    # PyTorch names dtypes by their C++ scalar type here: float, double, long, ...
    return {
        "float32": "float",
        "float64": "double",
        "int64": "long",
        "int32": "int",
        "float16": "c10::Half",
        "bool": "bool",
        "int16": "short",
        "int8": "signed char",
        "uint8": "unsigned char",
    }.get(np_dtype.name, np_dtype.name)


def _legacy_short(np_dtype):
    return legacy_type_name(np_dtype).removeprefix("gradcli.").removesuffix("Tensor")


STALE_NO_GRAD_VIEW_MESSAGE = (
    "A view was created in no_grad mode and its base or another view of its base has been modified "
    "inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is "
    "forbidden. You can clarify your code by moving both the view and the inplace either both inside "
    "the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the "
    "inplace to be tracked)."
)
