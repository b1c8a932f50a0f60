"""Cross-entropy through a frozen output projection, chunk by chunk, with the rows' gradient computed
in the same pass: no (rows x vocabulary) tensor outlives its chunk.

With Gemma's 262k-token vocabulary the logits of a training batch's labelled rows, their fp32 copy,
the softmax and its gradient are hundreds of MB per step, allocated and freed every step (on a CPU
each such tensor is a fresh, zero-filled mapping: ``harness/core/memory.py``). The projection is
frozen (LoRA does not train it), so the only gradient needed is the rows': per chunk of
``HEAD_CHUNK`` rows the forward computes the logits, the loss and ``(softmax - onehot) @ W``, keeps
that (rows x hidden) gradient and frees the logits. The arithmetic is the unfused one's, in the same
order and dtypes (bf16 logits cast to fp32, the fp32 gradient scaled, cast to the weight's dtype,
then projected back), so the loss and the gradients equal it (``tests/trainers/test_loss.py``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

HEAD_CHUNK = 128  # rows projected at once: a multiple of heads.ROW_BUCKET; 128 x 262,144 fp32 = 134 MB


class ChunkedHeadLoss(torch.autograd.Function):
    """``sum(cross_entropy(rows @ weight.T, target)) * scale`` with ``weight`` frozen. The rows are cast to
    the weight's dtype, as bf16 autocast casts them inside the model (the loss runs outside it, where
    accelerate's autocast does not reach); their gradient comes back in their own dtype."""

    @staticmethod
    def forward(ctx, rows: torch.Tensor, weight: torch.Tensor, target: torch.Tensor, scale: float):
        total = torch.zeros((), dtype=torch.float32, device=rows.device)
        grad = torch.empty_like(rows) if ctx.needs_input_grad[0] else None
        for start in range(0, len(rows), HEAD_CHUNK):
            chunk = rows[start:start + HEAD_CHUNK]
            wanted = target[start:start + HEAD_CHUNK]
            logits = F.linear(chunk.to(weight.dtype), weight).float()  # as autocast casts it in the model
            logs = torch.log_softmax(logits, dim=-1)  # what cross_entropy computes, in its order
            del logits
            total -= logs.gather(1, wanted[:, None]).sum()
            if grad is not None:  # log_softmax's backward of nll_loss's: softmax x scale, less scale at the target
                probs = logs.exp_().mul_(scale)
                probs[torch.arange(len(wanted), device=probs.device), wanted] -= scale
                grad[start:start + HEAD_CHUNK] = probs.to(weight.dtype) @ weight
            del logs
        ctx.save_for_backward(grad if grad is not None else torch.empty(0))
        return total * scale

    @staticmethod
    def backward(ctx, out_grad: torch.Tensor):
        (grad,) = ctx.saved_tensors
        return grad * out_grad.to(grad.dtype), None, None, None


def head_loss(rows: torch.Tensor, weight: torch.Tensor, target: torch.Tensor, scale: float) -> torch.Tensor:
    """Summed cross-entropy of ``rows`` (N x hidden) projected by ``weight`` (vocabulary x hidden) against
    ``target`` (N), times ``scale``; fused and chunked when the weight is frozen, else plain autograd."""
    if weight.requires_grad:  # a trained head (modules_to_save): its own gradient needs the whole logits
        return F.cross_entropy(F.linear(rows.to(weight.dtype), weight).float(), target, reduction="sum") * scale
    return ChunkedHeadLoss.apply(rows, weight, target, scale)
