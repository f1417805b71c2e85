"""The layers of a Keras model config as one chain from input to output: refusing custom and unsupported
layers, branches, shared layers and several inputs or outputs (split out of :mod:`neuroviz.model.keras_io`).

Pure model code: no Qt here.
"""

from __future__ import annotations

import collections
from typing import Any

from neuroviz.model.keras_format import _SUPPORTED_LAYERS, _SUPPORTED_TEXT, _KerasLayer, _Problem


def _is_custom(item: dict) -> bool:
    """A custom class: from a module outside Keras, or registered under a name of its own."""
    module = item.get("module")
    registered = item.get("registered_name")
    if module is not None and not (isinstance(module, str) and module.split(".")[0] == "keras"):
        return True
    return registered is not None and registered != item.get("class_name")


def _layer_entry(item: Any, where: str) -> _KerasLayer:
    if not isinstance(item, dict) or not isinstance(item.get("class_name"), str):
        raise _Problem(where, "is not a layer config (no class_name)")
    config = item.get("config")
    if not isinstance(config, dict):
        raise _Problem(where, f"layer {item['class_name']} has no config")
    name = item.get("name", config.get("name"))
    if not isinstance(name, str) or not name:
        raise _Problem(where, f"layer {item['class_name']} has no name")
    return _KerasLayer(name, item["class_name"], config, item)


def _refuse_unsupported(entries: list[_KerasLayer], body: dict, class_name: str, where: str) -> None:
    unsupported = []
    for layer in entries:
        if _is_custom(layer.entry):
            unsupported.append(f"{layer.name} ({layer.class_name}, custom)")
        elif layer.class_name not in _SUPPORTED_LAYERS:
            unsupported.append(f"{layer.name} ({layer.class_name})")
    if not unsupported:
        return
    reason = f"unsupported layers: {', '.join(unsupported)}; {_SUPPORTED_TEXT}"
    if class_name != "Sequential":
        shape_problem = _chain_problem(entries, body)
        if shape_problem:
            reason += f"; also, {shape_problem}"
    raise _Problem(where, reason)


def _sequential_chain(entries: list[_KerasLayer], where: str) -> tuple[list[_KerasLayer], str]:
    counts = collections.Counter(layer.name for layer in entries)  # linear: no list.count per layer
    duplicates = sorted(name for name, count in counts.items() if count > 1)
    if duplicates:
        raise _Problem(where, f"two layers are called {duplicates[0]!r}; layer names must be unique")
    inputs = [layer for layer in entries if layer.class_name == "InputLayer"]
    if len(inputs) > 1 or (inputs and entries[0] is not inputs[0]):
        raise _Problem(where, "an InputLayer may only come first in a Sequential model")
    return entries, inputs[0].name if inputs else ""


def _tensor_refs(value: Any) -> list[str]:
    """Layer names of a Functional config's ``input_layers`` / ``output_layers`` (any nesting Keras uses)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list) and len(value) >= 1 and isinstance(value[0], str):
        return [value[0]]
    if isinstance(value, list):
        return [name for item in value for name in _tensor_refs(item)]
    return []


def _node_inputs(node: Any) -> list[str]:
    """Names of the layers whose outputs a node (one call of a layer) reads, Keras 2 and Keras 3 style."""
    if isinstance(node, dict):
        if node.get("class_name") == "__keras_tensor__":
            history = node.get("config", {}).get("keras_history") if isinstance(node.get("config"), dict) else None
            return [history[0]] if isinstance(history, list) and history and isinstance(history[0], str) else []
        return [name for value in node.values() for name in _node_inputs(value)]
    if isinstance(node, list):
        if len(node) >= 3 and isinstance(node[0], str) and isinstance(node[1], int):  # Keras 2 [name, 0, 0, {}]
            return [node[0]]
        return [name for item in node for name in _node_inputs(item)]
    return []


def _graph(entries: list[_KerasLayer]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Per layer: the layers it reads (its parents) and how many times it is called."""
    parents: dict[str, list[str]] = {}
    calls: dict[str, int] = {}
    for layer in entries:
        nodes = layer.entry.get("inbound_nodes") or []
        nodes = nodes if isinstance(nodes, list) else [nodes]
        calls[layer.name] = len(nodes)
        parents[layer.name] = [name for node in nodes for name in _node_inputs(node)]
    return parents, calls


def _chain_problem(
    entries: list[_KerasLayer], body: dict, graph: tuple[dict[str, list[str]], dict[str, int]] | None = None
) -> str:
    """Why a Functional model is not one chain from one input to one output ("" if it is); ``graph`` is
    ``_graph(entries)`` when the caller has it already."""
    inputs, outputs = _tensor_refs(body.get("input_layers")), _tensor_refs(body.get("output_layers"))
    if len(inputs) != 1 or len(outputs) != 1:
        return (
            f"the model has {_count(len(inputs), 'input')} and {_count(len(outputs), 'output')}; "
            "neuroviz reads models with one input and one output"
        )
    parents, calls = graph or _graph(entries)
    children: dict[str, list[str]] = {name: [] for name in parents}
    for name, sources in parents.items():
        for source in sources:
            children.setdefault(source, []).append(name)
    for layer in entries:
        if calls[layer.name] > 1:
            return f"layer {layer.name!r} is used {calls[layer.name]} times (shared layers are not supported)"
    for layer in entries:
        if len(parents[layer.name]) > 1:
            joined = ", ".join(parents[layer.name])
            return f"layer {layer.name!r} joins several branches ({joined}); neuroviz reads a single chain"
        if len(children.get(layer.name, [])) > 1:
            split = ", ".join(children[layer.name])
            return f"the model branches after layer {layer.name!r} (it feeds {split}); neuroviz reads a single chain"
    return ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _functional_chain(entries: list[_KerasLayer], body: dict, where: str) -> tuple[list[_KerasLayer], str]:
    by_name: dict[str, _KerasLayer] = {}
    for layer in entries:
        if layer.name in by_name:
            raise _Problem(where, f"two layers are called {layer.name!r}; layer names must be unique")
        by_name[layer.name] = layer
    graph = _graph(entries)
    problem = _chain_problem(entries, body, graph)
    if problem:
        raise _Problem(where, problem)
    parents, _ = graph
    (input_name,) = _tensor_refs(body.get("input_layers"))
    (output_name,) = _tensor_refs(body.get("output_layers"))
    chain: list[_KerasLayer] = []
    current = output_name
    while True:
        if current not in by_name:
            raise _Problem(where, f"the model refers to a layer {current!r} that its config does not define")
        chain.append(by_name[current])
        if not parents[current]:
            break
        current = parents[current][0]
        if len(chain) > len(entries):
            raise _Problem(where, "the layers form a loop")
    chain.reverse()
    if chain[0].name != input_name or chain[0].class_name != "InputLayer":
        raise _Problem(where, f"the chain of layers does not start at the model's input {input_name!r}")
    if len(chain) != len(entries):
        on_chain = {id(layer) for layer in chain}
        stray = ", ".join(layer.name for layer in entries if id(layer) not in on_chain)
        raise _Problem(where, f"layers not on the path from the input to the output: {stray}")
    return chain, input_name
