"""The output projection computed for chosen positions only.

A causal LM projects every position it returns onto the whole vocabulary (262,144 tokens for Gemma 3:
for the 270M model that projection has more weights than the transformer body). Training's loss and
choice scoring need the logits of a few positions only: the ones that predict a labelled token, or a
label's next token. ``rows_only`` hands the projection just those positions, through the model's own
forward (peft, DDP and any final-logit soft-capping keep working), so the numbers are exactly the
ones the full projection gives at those positions, at a fraction of the work and memory.
"""

from __future__ import annotations

import contextlib

import torch

# The row count is padded to a multiple of this: every distinct GEMM shape costs CPU memory that is
# kept (oneDNN's primitive cache and the allocator's fragments), and the number of wanted positions
# differs from batch to batch. 32 rows bound the distinct shapes (BENCHMARKS.md, "Training memory and speed in bf16").
ROW_BUCKET = 32


@contextlib.contextmanager
def rows_only(model, where: torch.Tensor, project: bool = True):
    """While active, the output projection of ``model`` sees only the positions ``where`` (batch x the
    positions the forward returns, boolean) marks, in row-major order, as one sequence: the forward's
    logits are (1, rows, vocabulary), rows = ``where.sum()`` rounded up to ``ROW_BUCKET`` (the extra
    rows project zeros; ignore them). ``project=False``: the head returns those rows unprojected (1, rows,
    hidden), for a loss that projects them itself (``trainers/head_loss.py``)."""
    inner = getattr(model, "module", model)  # DDP wraps the model; peft delegates to the base model
    head = inner.get_output_embeddings()

    def select(module, args):
        hidden = args[0]
        rows = hidden[where.to(hidden.device)]
        pad = -len(rows) % ROW_BUCKET
        if pad:
            rows = torch.cat([rows, rows.new_zeros(pad, rows.shape[-1])])
        return (rows.unsqueeze(0), *args[1:])

    handle = head.register_forward_pre_hook(select)
    if not project:
        head.forward = _unprojected  # an instance attribute: nn.Module.__call__ finds it before the class's
    try:
        yield
    finally:
        handle.remove()
        if not project:
            del head.forward


def _unprojected(hidden: torch.Tensor) -> torch.Tensor:
    return hidden
