"""Which loss goes with which output layer: the suggestion the Training dock starts from, and the mismatches it
warns about in words (the mistakes the tutorials warn about: softmax with binary cross-entropy, sigmoid with
categorical cross-entropy, a softmax over one neuron).

Pure Python: no Qt here.
"""

from __future__ import annotations

CROSS_ENTROPIES = ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy")
#: The losses the Training dock offers, with what each compares, for the combo box's tooltips.
LOSS_MEANINGS = {
    "binary_crossentropy": "each output is the probability of a yes (sigmoid outputs, 0/1 targets)",
    "categorical_crossentropy": "the outputs are one probability per class, summing to 1 (softmax, one-hot targets)",
    "sparse_categorical_crossentropy": "as categorical cross-entropy, with the class number as the target",
    "mean_squared_error": "the mean of (output − target)²: regression, or ±1 targets for a tanh output",
    "mean_absolute_error": "the mean of |output − target|: regression that minds outliers less",
    "hinge": "max(1 − target·output, 0) with ±1 targets: a margin, as a support vector machine",
}


def suggested_loss(network, regression: bool = False) -> str:
    """The loss a Keras user would compile this output layer with (squared error for a regression target)."""
    layer = network.layers[-1]
    if regression:
        return "mean_squared_error"
    if layer.activation == "sigmoid":  # one yes/no, or independent yes/no labels (multi-label)
        return "binary_crossentropy"
    if layer.activation == "softmax" and network.n_outputs > 1:
        return "categorical_crossentropy"
    return "mean_squared_error"


def mismatch_warning(network, loss: str, regression: bool = False) -> str:
    """ "" when ``loss`` suits the output layer; else what is wrong and what to change, in one or two sentences."""
    layer = network.layers[-1]
    activation, outputs = layer.activation, network.n_outputs
    if activation == "softmax" and outputs == 1:
        return (
            "A softmax over one neuron always outputs 1, so the network cannot learn: use sigmoid for one output, "
            "or give the output layer one neuron per class."
        )
    if regression and loss in CROSS_ENTROPIES:
        return "The data set has a number to predict, not classes: use mean squared error (or absolute error)."
    if activation == "softmax" and loss == "binary_crossentropy":
        return (
            "Softmax makes the outputs share 1 between them, but binary cross-entropy scores each output as its own "
            "yes/no probability: use categorical cross-entropy with softmax."
        )
    if activation == "sigmoid" and outputs > 1 and loss in CROSS_ENTROPIES[1:]:
        return (
            "Categorical cross-entropy expects outputs that sum to 1 (softmax); sigmoid outputs are independent and "
            "get divided by their sum: use softmax here, or binary cross-entropy for independent yes/no outputs."
        )
    if loss in CROSS_ENTROPIES and activation not in ("sigmoid", "softmax"):
        return (
            f"Cross-entropy needs probabilities; the output layer's {activation} can leave (0, 1), where the loss "
            "clips and its gradient is 0: use sigmoid (one output) or softmax (one output per class)."
        )
    return ""
