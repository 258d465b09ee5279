"""numpy kernels for the CPU device, one module per op family; importing this registers them."""

from . import array, control_flow, math, nn, random, resource, sequence, state  # noqa: F401
from . import concat, pad, reduce  # noqa: F401  (array ops: pad, concat/squeeze, reductions)
from . import broadcast, schedule_math, tile, training  # noqa: F401  (gradients, decay schedules, optimizers)
from . import split  # noqa: F401  (Split, SplitV)
from . import strided_slice  # noqa: F401  (t[...] and its gradient)
from . import select, strings  # noqa: F401  (a sharded Saver's Select and string ops)
from . import io  # noqa: F401  (ReadFile)
from . import softmax  # noqa: F401  (Softmax, LogSoftmax)
from . import gather, scan, set_ops  # noqa: F401  (GatherV2, DynamicStitch; Cumsum, Cumprod; ListDiff)
from . import segment  # noqa: F401  (UnsortedSegmentSum)
from . import scatter, unique  # noqa: F401  (Scatter*, ResourceScatter*; Unique)
from . import sparse_training  # noqa: F401  (SparseApply*, ResourceSparseApply*)
from . import clip, rsqrt  # noqa: F401  (ClipByValue; Rsqrt, RsqrtGrad)
from . import partition  # noqa: F401  (DynamicPartition; ParallelDynamicStitch lives in gather)
