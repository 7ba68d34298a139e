"""The network, two parts whose logits are added:

  deep: GloVe-initialised word embeddings (100 d) -> convolutions of width 1, 2 and 3 (`channels` each, ReLU,
        full padding) -> max and mean over positions -> dropout -> linear to 7 logits;
  wide: a weight vector per token and per hashed token bigram (BIGRAM_BUCKETS buckets; the text's end is a
        token too), summed and divided by sqrt(token count) -- a bag-of-n-grams linear model inside the graph.

`forward(tokens)` takes a batch of texts of equal token count (no padding): that is what is exported to ONNX
and what the engine runs. Training pads instead (`forward_padded`), which computes exactly the same numbers for
every text: the pad embedding is zero, convolution windows past a text's end see zeros either way, and every
pooled position or n-gram past the end is masked out."""
import math

import torch
from torch import nn

WIDTHS = (1, 2, 3)
BIGRAM_BUCKETS = 1 << 18
BIGRAM_MULT = 1_000_003


def bigram_ids(ext, buckets=BIGRAM_BUCKETS):
    """Hashed bigram bucket of each position of `ext` (token ids with one more column: the next token or EOS)."""
    return torch.remainder(ext[:, :-1] * BIGRAM_MULT + ext[:, 1:], buckets)


class TextCnn(nn.Module):
    def __init__(self, vocab_size, dim=100, channels=128, n_labels=7, dropout=0.5, emb_dropout=0.2, eos_id=1, buckets=BIGRAM_BUCKETS):
        super().__init__()
        self.eos_id = eos_id
        self.buckets = buckets
        self.emb = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.emb_drop = nn.Dropout(emb_dropout)
        self.convs = nn.ModuleList([nn.Conv1d(dim, channels, w, padding=w - 1) for w in WIDTHS])
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * channels * len(WIDTHS), n_labels)
        self.uni = nn.Embedding(vocab_size, n_labels, padding_idx=0)
        self.bi = nn.Embedding(buckets, n_labels)
        nn.init.zeros_(self.uni.weight)
        nn.init.zeros_(self.bi.weight)

    def _deep(self, tokens, lengths):
        x = self.emb_drop(self.emb(tokens)).transpose(1, 2)  # [B, dim, T]
        pooled = []
        for w, conv in zip(WIDTHS, self.convs):
            h = torch.relu(conv(x))  # [B, C, T + w - 1]
            if lengths is None:
                pooled += [h.max(2).values, h.mean(2)]
            else:
                valid = (torch.arange(h.shape[2])[None, :] < (lengths + w - 1)[:, None]).unsqueeze(1)
                pooled += [h.masked_fill(~valid, float("-inf")).max(2).values, (h * valid).sum(2) / (lengths + w - 1)[:, None]]
        return self.out(self.drop(torch.cat(pooled, 1)))

    def _wide(self, tokens, lengths):
        if lengths is None:  # written with tensor ops only, so that the ONNX graph keeps the length dynamic
            ext = torch.cat([tokens, torch.full_like(tokens[:, :1], self.eos_id)], 1)
            n = torch.ones_like(tokens, dtype=torch.float32).sum(1)
            uni = self.uni(tokens).sum(1)
            bi = self.bi(bigram_ids(ext, self.buckets)).sum(1)
        else:
            B, T = tokens.shape
            ext = torch.cat([tokens, torch.zeros((B, 1), dtype=tokens.dtype)], 1).scatter(1, lengths[:, None], self.eos_id)
            mask = (torch.arange(T)[None, :] < lengths[:, None]).unsqueeze(2)
            n = lengths.to(torch.float32)
            uni = self.uni(tokens).sum(1)  # pad rows are zero
            bi = (self.bi(bigram_ids(ext, self.buckets)) * mask).sum(1)
        return (uni + bi) / torch.sqrt(n)[:, None]

    def forward(self, tokens):
        return self._deep(tokens, None) + self._wide(tokens, None)

    def forward_padded(self, tokens, lengths):
        return self._deep(tokens, lengths) + self._wide(tokens, lengths)
