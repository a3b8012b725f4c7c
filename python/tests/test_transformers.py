"""The Hugging Face callback, driven by a real ``Trainer`` on a tiny BERT built from a config."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Dict

import pytest

from conftest import FifoReader, footprint_warnings

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from footprint.integrations.transformers import FootprintCallback  # noqa: E402


class TinyDataset(torch.utils.data.Dataset):  # type: ignore[misc]
    def __init__(self, size: int, seed: int) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.input_ids = torch.randint(1, 50, (size, 8), generator=generator)
        self.labels = (self.input_ids[:, 0] > 25).long()

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> Dict[str, Any]:
        return {
            "input_ids": self.input_ids[index],
            "attention_mask": torch.ones(8, dtype=torch.long),
            "labels": self.labels[index],
        }


def _accuracy(prediction: Any) -> Dict[str, float]:
    return {"accuracy": float((prediction.predictions.argmax(-1) == prediction.label_ids).mean())}


def test_a_trainer_reports_model_epochs_and_result(fifo: FifoReader, tmp_path: Path) -> None:
    pytest.importorskip("accelerate", reason="the PyTorch Trainer needs accelerate (transformers[torch])")
    from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32, max_position_embeddings=16)
    model = BertForSequenceClassification(config)
    arguments = TrainingArguments(
        output_dir=str(tmp_path / "out"),
        num_train_epochs=2,
        per_device_train_batch_size=8,
        per_device_eval_batch_size=8,
        eval_strategy="epoch",
        logging_strategy="epoch",
        save_strategy="no",
        report_to=[],
        use_cpu=True,
        disable_tqdm=True,
        seed=0,
    )
    trainer = Trainer(
        model=model,
        args=arguments,
        train_dataset=TinyDataset(32, 1),
        eval_dataset=TinyDataset(16, 2),
        compute_metrics=_accuracy,
        callbacks=[FootprintCallback(name="tiny-bert")],
    )
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        trainer.train()
    assert footprint_warnings(records) == []
    events = fifo.events()
    assert [e["event"] for e in events] == ["model", "train_begin", "epoch", "epoch", "result"]
    assert events[0] == {"event": "model", "name": "tiny-bert", "parameters": sum(p.numel() for p in model.parameters())}
    assert events[0]["parameters"] == model.num_parameters()
    logged = [entry for entry in trainer.state.log_history if "eval_loss" in entry]
    trained = [entry for entry in trainer.state.log_history if "loss" in entry]
    assert len(logged) == 2 and len(trained) == 2
    for index, epoch in enumerate(events[2:4], start=1):
        assert epoch["index"] == index
        assert epoch["samples"] == 32
        assert epoch["loss"] == pytest.approx(trained[index - 1]["loss"])
        assert epoch["val_loss"] == pytest.approx(logged[index - 1]["eval_loss"])
        assert epoch["accuracy"] == pytest.approx(logged[index - 1]["eval_accuracy"])
    assert {k: v for k, v in events[4].items() if k in ("loss", "val_loss", "accuracy")} == {
        "loss": events[3]["loss"],
        "val_loss": events[3]["val_loss"],
        "accuracy": events[3]["accuracy"],
    }


def test_flops_per_sample_from_an_example_batch(fifo: FifoReader) -> None:
    from torch.utils.flop_counter import FlopCounterMode
    from transformers import BertConfig, BertForSequenceClassification

    import footprint

    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32, max_position_embeddings=16)
    model = BertForSequenceClassification(config)
    batch = {"input_ids": torch.randint(1, 50, (4, 8)), "attention_mask": torch.ones(4, 8, dtype=torch.long)}
    independent = FlopCounterMode(display=False)
    with independent:
        model(**batch).logits.sum().backward()
    model.zero_grad(set_to_none=True)
    footprint.report_model(model, example_input=batch)
    (event,) = fifo.events()
    assert event["flops_per_sample"] == round(independent.get_total_flops() / 4)
    assert event["flops_per_sample"] > 0


def test_without_evaluation_each_epoch_is_sent_at_its_end(fifo: FifoReader, tmp_path: Path) -> None:
    pytest.importorskip("accelerate", reason="the PyTorch Trainer needs accelerate (transformers[torch])")
    from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32, max_position_embeddings=16)
    arguments = TrainingArguments(
        output_dir=str(tmp_path / "out"), num_train_epochs=3, per_device_train_batch_size=8,
        eval_strategy="no", logging_strategy="steps", logging_steps=2, save_strategy="no",
        report_to=[], use_cpu=True, disable_tqdm=True,
    )
    trainer = Trainer(
        model=BertForSequenceClassification(config), args=arguments, train_dataset=TinyDataset(24, 3),
        callbacks=[FootprintCallback()],
    )
    trainer.train()
    events = fifo.events()
    assert [e["event"] for e in events] == ["model", "train_begin", "epoch", "epoch", "epoch", "result"]
    assert events[0]["name"] == "BertForSequenceClassification"
    assert [e["index"] for e in events[2:5]] == [1, 2, 3]
    assert all(e["samples"] == 24 and "val_loss" not in e for e in events[2:5])
    step_losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    assert events[4]["loss"] == pytest.approx(step_losses[-1])
