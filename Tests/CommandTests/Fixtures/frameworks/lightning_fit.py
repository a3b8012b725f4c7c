"""A Lightning Trainer with Footprint's callback; writes Lightning's own figures to argv[1]."""

import json
import sys

import lightning.pytorch as pl
import torch
from footprint.integrations.lightning import FootprintCallback
from lightning.pytorch.utilities.model_summary import ModelSummary
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.flop_counter import FlopCounterMode


class TinyClassifier(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
        self.example_input_array = torch.zeros(4, 8)

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", torch.nn.functional.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(dim=1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


facts_path, root = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
x = torch.randn(96, 8)
y = torch.randint(0, 3, (96,))
module = TinyClassifier()
counter = FlopCounterMode(display=False)
with counter:
    module(torch.zeros(4, 8)).sum().backward()
module.zero_grad(set_to_none=True)
trainer = pl.Trainer(
    max_epochs=2, accelerator="cpu", devices=1, logger=False, enable_checkpointing=False,
    enable_progress_bar=False, enable_model_summary=False, default_root_dir=root,
    callbacks=[FootprintCallback(name="tiny-lightning")],
)
trainer.fit(module, DataLoader(TensorDataset(x[:64], y[:64]), batch_size=16), DataLoader(TensorDataset(x[64:], y[64:]), batch_size=16))
with open(facts_path, "w") as handle:
    json.dump(
        {"parameters": ModelSummary(module).total_parameters, "flops_per_sample": counter.get_total_flops() // 4,
         "accuracy": float(trainer.callback_metrics["val_acc"]), "epochs": 2},
        handle,
    )
