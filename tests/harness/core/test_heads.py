"""The output projection of chosen positions only: the same logits as the full projection there."""

import torch

from tunebench.harness.core.heads import ROW_BUCKET, rows_only
from tunebench.harness.core.models import load_base_model


def test_rows_only_gives_the_full_projections_rows(tiny_model_dir):
    model, _, _ = load_base_model(str(tiny_model_dir))
    ids = torch.randint(5, 200, (3, 9))
    where = torch.zeros(3, 4, dtype=torch.bool)
    where[0, 1] = where[2, 0] = where[2, 3] = True
    with torch.inference_mode():
        full = model(input_ids=ids, logits_to_keep=4).logits
        with rows_only(model, where):
            some = model(input_ids=ids, logits_to_keep=4).logits
        after = model(input_ids=ids, logits_to_keep=4).logits
    assert some.shape == (1, ROW_BUCKET, full.shape[-1])  # 3 rows, padded to the bucket
    assert torch.allclose(some[0, :3], full[where], atol=1e-5)
    assert torch.equal(after, full), "the hook must be gone after the block"
