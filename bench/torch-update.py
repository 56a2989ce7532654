#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""PyTorch side of bench-placement-update: time Q-learning updates of the SR-EM policy network.

The network, loss and optimiser are those of the aisfc LearnDenseNetwork update in
bench-placement-update.cc: Linear(inputs, hidden), ReLU, Linear(hidden, outputs), float64,
loss 0.5 * mean_j (Q[j, a_j] - target_j)^2, torch.optim.SGD(lr=0.2).  One update is
forward, loss, backward, step, zero_grad.

usage: torch-update.py --inputs N --hidden N --outputs N --batch N
                       [--updates N | --seconds S] [--warmup N] [--threads N]
                       [--data FILE --pool N] [--params-out FILE]

  --updates N      timed updates; without it, enough for about --seconds (default 1.5)
  --warmup N       untimed updates first (default 50)
  --threads N      torch.set_num_threads(N); 0 keeps torch's default (default 1)
  --data FILE      float64 file written by the bench: the parameters (per layer W column-major
                   (in x out row-major), then b), then --pool batches of states (batch x inputs
                   each), then pool * batch actions, then pool * batch targets; without it the
                   weights are torch's own and the data torch.rand draws (seed 1), states
                   scaled to [0, sqrt(3 / inputs)) as the bench's
  --params-out F   check mode: no warm-up, no timing; after each of the --updates updates append
                   the parameters (in the --data order) to F as float64

Prints one machine-readable line:
  torch_us_per_update=12.34 threads=1 default_threads=2 updates=100000 seconds=1.234 version=1.13.0
or, in check mode:
  torch_check_updates=N parameters=P
Exit 3 with "torch_missing=1 error=..." when torch cannot be imported, 2 on bad arguments.
"""
import argparse
import array
import sys
import time


def positive(name):
    def parse(text):
        try:
            v = int(text)
        except ValueError:
            v = -1
        if v <= 0:
            raise argparse.ArgumentTypeError(f"{name} needs a positive integer, got '{text}'")
        return v

    return parse


def non_negative(name):
    def parse(text):
        try:
            v = int(text)
        except ValueError:
            v = -1
        if v < 0:
            raise argparse.ArgumentTypeError(f"{name} needs an integer >= 0, got '{text}'")
        return v

    return parse


def main():
    p = argparse.ArgumentParser(description="PyTorch side of bench-placement-update")
    p.add_argument("--inputs", type=positive("--inputs"), required=True)
    p.add_argument("--hidden", type=positive("--hidden"), required=True)
    p.add_argument("--outputs", type=positive("--outputs"), required=True)
    p.add_argument("--batch", type=positive("--batch"), required=True)
    p.add_argument("--updates", type=positive("--updates"))
    p.add_argument("--seconds", type=float, default=1.5)
    p.add_argument("--warmup", type=non_negative("--warmup"), default=50)
    p.add_argument("--threads", type=non_negative("--threads"), default=1)
    p.add_argument("--data")
    p.add_argument("--pool", type=positive("--pool"), default=16)
    p.add_argument("--params-out")
    args = p.parse_args()
    if args.params_out and not (args.data and args.updates):
        p.error("--params-out needs --data and --updates")

    try:
        import torch
    except Exception as e:  # ImportError, or a broken install raising something else
        print(f"torch_missing=1 error={type(e).__name__}: {e}".replace("\n", " "))
        sys.exit(3)

    default_threads = torch.get_num_threads()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(1)

    n_in, n_hid, n_out, batch, pool = args.inputs, args.hidden, args.outputs, args.batch, args.pool
    net = torch.nn.Sequential(
        torch.nn.Linear(n_in, n_hid), torch.nn.ReLU(), torch.nn.Linear(n_hid, n_out)
    )
    linears = [net[0], net[2]]

    if args.data:
        values = array.array("d")
        with open(args.data, "rb") as f:
            values.frombytes(f.read())
        data = torch.tensor(values, dtype=torch.float64)
        n_params = sum(l.weight.numel() + l.bias.numel() for l in linears)
        expected = n_params + pool * batch * (n_in + 2)
        if data.numel() != expected:
            print(
                f"torch-update: {args.data} holds {data.numel()} float64, expected {expected}",
                file=sys.stderr,
            )
            sys.exit(2)
        k = 0
        with torch.no_grad():
            for l in linears:
                out_f, in_f = l.weight.shape
                # column-major out x in is row-major in x out
                l.weight.copy_(data[k : k + in_f * out_f].view(in_f, out_f).t())
                k += in_f * out_f
                l.bias.copy_(data[k : k + out_f])
                k += out_f
        states = data[k : k + pool * batch * n_in].view(pool, batch, n_in)
        k += pool * batch * n_in
        actions = data[k : k + pool * batch].view(pool, batch).to(torch.int64)
        k += pool * batch
        targets = data[k : k + pool * batch].view(pool, batch)
    else:
        states = torch.rand(pool, batch, n_in) * (3.0 / n_in) ** 0.5
        actions = torch.randint(0, n_out, (pool, batch))
        targets = torch.rand(pool, batch) * 2.0 - 1.0
    batches = [
        (states[i].contiguous(), actions[i].view(batch, 1).contiguous(), targets[i].contiguous())
        for i in range(pool)
    ]

    opt = torch.optim.SGD(net.parameters(), lr=0.2)

    def update(i):
        x, a, t = batches[i % pool]
        q = net(x)
        qa = q.gather(1, a).squeeze(1)
        loss = 0.5 * ((qa - t) ** 2).mean()
        loss.backward()
        opt.step()
        opt.zero_grad()

    if args.params_out:
        with open(args.params_out, "wb") as f:
            for i in range(args.updates):
                update(i)
                flat = []
                for l in linears:
                    flat.append(l.weight.detach().t().reshape(-1))
                    flat.append(l.bias.detach().reshape(-1))
                f.write(array.array("d", torch.cat(flat).tolist()).tobytes())
        print(f"torch_check_updates={args.updates} parameters={torch.cat(flat).numel()}")
        return

    i = 0
    for _ in range(args.warmup):
        update(i)
        i += 1
    updates = args.updates
    if updates is None:
        # Calibrate (untimed, counts as warm-up) to about --seconds for the timed run.
        n = 16
        while True:
            start = time.perf_counter()
            for _ in range(n):
                update(i)
                i += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 0.2:
                break
            n *= 2
        updates = max(1, int(args.seconds * n / elapsed))
    start = time.perf_counter()
    for _ in range(updates):
        update(i)
        i += 1
    seconds = time.perf_counter() - start
    print(
        f"torch_us_per_update={seconds / updates * 1e6:.4f} threads={torch.get_num_threads()} "
        f"default_threads={default_threads} updates={updates} seconds={seconds:.4f} "
        f"version={torch.__version__}"
    )


if __name__ == "__main__":
    main()
