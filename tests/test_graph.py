from newstrace.graph import components


def test_components_are_sorted_and_deterministic() -> None:
    edges = [("c", "d"), ("b", "a"), ("x", "y"), ("d", "a")]
    assert components(edges) == [["a", "b", "c", "d"], ["x", "y"]]
    assert components(reversed(edges)) == components(edges)
    assert components([]) == []
