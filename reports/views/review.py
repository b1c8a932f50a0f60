"""Review: a person marks a sample right or wrong, with a comment; the store keeps who and when, and
the page shows how often each automatic scorer agrees with the reviewers."""

import streamlit as st

from tunebench.reports.views.common import cached, choose, reviewer_identity, run_id, store


def page() -> None:
    st.title("Review samples")
    run = run_id()
    if run is None:
        return
    samples = cached("sample_table", run)
    if samples.empty:
        st.info("This run has no samples.")
        return
    variant = choose("Variant", sorted(samples.variant.unique()), "variant")
    part = samples[samples.variant == variant]
    suite = choose("Suite", sorted(part.suite.unique()), "suite")
    part = part[part.suite == suite]
    split = choose("Split", sorted(part.split.unique()), "split")
    part = part[part.split == split]
    item = choose("Item", list(part.item_id), "item")
    row = part[part.item_id == item].iloc[0]
    st.markdown("**Prompt**")
    st.code(row.prompt or "", language=None)
    st.markdown("**Output**")
    st.code(row.output or "(empty)", language=None)
    st.markdown("**Target**")
    st.code(row.target_json, language=None)
    scorer = "right" if row.correct == 1 else "wrong"
    st.markdown("**Automatic verdict**")
    st.text(f"{scorer}: {row.explanation}")
    mode, known = reviewer_identity()
    if mode == "read-only":
        st.info(known)
    elif mode == "header" and not known:
        st.error("No authenticated user came with this request (the proxy's user header is missing): reviews "
                 "are off until you sign in through it.")
    else:
        _form(run, variant, suite, split, item, row, scorer, known)
    st.subheader("Scorers against reviewers")
    agreement = cached("reviewer_agreement", run)
    if agreement.empty:
        st.info("No review yet.")
    else:
        st.dataframe(agreement, hide_index=True, width="stretch")
    st.subheader("Reviews of this run")
    st.dataframe(cached("review_table", run), hide_index=True, width="stretch")


def _form(run, variant, suite, split, item, row, scorer, user: str | None) -> None:
    """The review form: the name is the authenticated user's when the site knows it, typed otherwise
    (a site on this machine only). Reviews are only ever added: a correction is a new review."""
    with st.form("review"):
        if user:
            st.text(f"Reviewing as {user} (from the authenticating proxy)")
            reviewer = user
        else:
            reviewer = st.text_input("Your name", value=st.session_state.get("reviewer", ""))
        verdict = st.radio("The output is", ["right", "wrong"], horizontal=True)
        comment = st.text_area("Comment")
        if st.form_submit_button("Save review"):
            if not reviewer.strip():
                st.error("A review needs the reviewer's name.")
            else:
                st.session_state["reviewer"] = reviewer
                store().add_review({"run_id": run, "variant": variant, "suite": suite,
                                    "split": split.partition("+")[0], "perturbation": row.perturbation or "",
                                    "item_id": item, "reviewer": reviewer.strip(), "verdict": verdict,
                                    "comment": comment, "scorer_verdict": scorer})
                st.cache_data.clear()
                st.success(f"Saved: {reviewer.strip()} marked {suite}/{split}/{item} of {variant} {verdict}.")
