"""A plain PyTorch loop reporting to Footprint; writes the framework's own figures to argv[1].

The parameter count is PyTorch's (`numel` of every parameter) and the FLOPs per sample are
counted here with FlopCounterMode on a training step (forward, cross-entropy, backward), so the
test compares what Footprint stored against the framework, not against the package's own count.
"""

import json
import os
import sys

import footprint
import torch
from torch.utils.flop_counter import FlopCounterMode

facts_path = sys.argv[1]
torch.manual_seed(0)
x = torch.randn(128, 8)
y = (x[:, 0] + x[:, 1] > 0).long()
x_train, y_train, x_val, y_val = x[:96], y[:96], x[96:], y[96:]
model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
batch = 16

counter = FlopCounterMode(display=False)
with counter:
    torch.nn.functional.cross_entropy(model(x_train[:batch]), y_train[:batch]).backward()
model.zero_grad(set_to_none=True)
flops_per_sample = counter.get_total_flops() // batch

footprint.report_model(model, example_input=x_train[:batch], name="torch-loop")
# The MLflow run as a program names it (what `footprint.tracking` sends when mlflow is imported).
if os.environ.get("FIXTURE_MLFLOW_RUN_ID"):
    footprint.tracking(os.environ["FIXTURE_MLFLOW_RUN_ID"], os.environ.get("FIXTURE_MLFLOW_TRACKING_URI"))
footprint.train_begin()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for index in range(1, 3):
    total = 0.0
    for start in range(0, len(x_train), batch):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x_train[start : start + batch]), y_train[start : start + batch])
        loss.backward()
        optimizer.step()
        total += loss.item() * batch
    with torch.no_grad():
        logits = model(x_val)
        val_loss = torch.nn.functional.cross_entropy(logits, y_val).item()
        accuracy = (logits.argmax(dim=1) == y_val).float().mean().item()
    footprint.epoch(index, loss=total / len(x_train), val_loss=val_loss, accuracy=accuracy, samples=len(x_train))
footprint.result(accuracy=accuracy, val_loss=val_loss)

with open(facts_path, "w") as handle:
    json.dump(
        {"parameters": sum(p.numel() for p in model.parameters()), "flops_per_sample": flops_per_sample,
         "accuracy": accuracy, "epochs": 2},
        handle,
    )
