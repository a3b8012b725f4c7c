"""A Hugging Face Trainer on a tiny BERT built from a config (no download, report_to=[]) with
Footprint's callback; writes the model's own figures to argv[1]."""

import json
import sys

import torch
from footprint.integrations.transformers import FootprintCallback
from torch.utils.flop_counter import FlopCounterMode
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments


class TinyDataset(torch.utils.data.Dataset):
    def __init__(self, size, seed):
        generator = torch.Generator().manual_seed(seed)
        self.input_ids = torch.randint(1, 50, (size, 8), generator=generator)
        self.labels = (self.input_ids[:, 0] > 25).long()

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return {"input_ids": self.input_ids[index], "attention_mask": torch.ones(8, dtype=torch.long), "labels": self.labels[index]}


def accuracy(prediction):
    return {"accuracy": float((prediction.predictions.argmax(-1) == prediction.label_ids).mean())}


facts_path, output = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32, max_position_embeddings=16)
model = BertForSequenceClassification(config)
example = {"input_ids": torch.randint(1, 50, (4, 8)), "attention_mask": torch.ones(4, 8, dtype=torch.long)}
counter = FlopCounterMode(display=False)
with counter:
    model(**example).logits.sum().backward()
model.zero_grad(set_to_none=True)
arguments = TrainingArguments(
    output_dir=output, num_train_epochs=2, per_device_train_batch_size=8, per_device_eval_batch_size=8,
    eval_strategy="epoch", logging_strategy="epoch", save_strategy="no", report_to=[], use_cpu=True,
    disable_tqdm=True, seed=0,
)
trainer = Trainer(
    model=model, args=arguments, train_dataset=TinyDataset(32, 1), eval_dataset=TinyDataset(16, 2),
    compute_metrics=accuracy, callbacks=[FootprintCallback(name="tiny-bert", example_input=example)],
)
trainer.train()
evaluations = [entry for entry in trainer.state.log_history if "eval_accuracy" in entry]
with open(facts_path, "w") as handle:
    json.dump(
        {"parameters": model.num_parameters(), "flops_per_sample": round(counter.get_total_flops() / 4),
         "accuracy": evaluations[-1]["eval_accuracy"], "epochs": 2},
        handle,
    )
