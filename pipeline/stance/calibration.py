"""Temperature scaling, so a stance ``score`` reads as a probability.

One scalar T divides the logits; it is fitted by minimising the negative log-likelihood on
half of the dev pairs and its effect is measured (expected calibration error) on the other
half, so the reported ECE is not measured on the data T was fitted to.  T never changes the
predicted label, only the confidence.
"""

from __future__ import annotations

import numpy as np
import torch


def expected_calibration_error(probs: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    """ECE: |accuracy - confidence| averaged over equal-width confidence bins, weighted by size."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(ece)


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The T > 0 that minimises NLL of softmax(logits / T) against ``gold``."""
    logits_t = torch.as_tensor(logits, dtype=torch.float64)
    gold_t = torch.as_tensor(gold, dtype=torch.long)
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def closure():
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits_t / log_t.exp(), gold_t)
        loss.backward()
        return loss

    optimiser.step(closure)
    return float(log_t.exp().item())


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def calibrate(logits: np.ndarray, gold: np.ndarray, seed: int = 0) -> dict:
    """Fit T on a random half of the pairs; report ECE before/after on the other half."""
    order = np.random.default_rng(seed).permutation(len(gold))
    fit, held = order[: len(order) // 2], order[len(order) // 2:]
    temperature = fit_temperature(logits[fit], gold[fit])
    return {
        "temperature": temperature,
        "ece_before": expected_calibration_error(softmax(logits[held]), gold[held]),
        "ece_after": expected_calibration_error(softmax(logits[held], temperature), gold[held]),
        "n_fit": int(len(fit)),
        "n_measured": int(len(held)),
    }
