"""The LangChain adapter inside a runnable chain."""

from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from assistant.langchain import GuidelineRetriever


def test_retriever_runs_inside_a_chain_with_provenance(assistant):
    retriever = GuidelineRetriever(retriever=assistant.retriever, article="metastatic-breast-cancer", k=3)
    chain = {"docs": retriever, "question": RunnablePassthrough()} | RunnableLambda(
        lambda x: {
            "question": x["question"],
            "context": "\n\n".join(d.page_content for d in x["docs"]),
            "sources": [d.metadata for d in x["docs"]],
        }
    )
    out = chain.invoke("What loading dose of trastuzumab is used?")
    assert "4 mg/kg IV over 90 minutes" in out["context"]
    top = out["sources"][0]
    assert top["section_id"] == "metastatic-breast-cancer/her2-positive-disease"
    assert top["section"].endswith("HER2-positive disease") and top["in_scope"] is True
    assert top["start"] < top["end"] and top["sentences"]
    assert len(out["sources"]) == 3


def test_batch_and_modes(assistant):
    dense = GuidelineRetriever(retriever=assistant.retriever, mode="dense", k=2)
    results = dense.batch(["ovarian ablation premenopausal", "thermography screening"])
    assert [len(r) for r in results] == [2, 2]
    assert results[1][0].metadata["doc_id"] == "breast-cancer-risk-prevention"
