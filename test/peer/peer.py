"""PyTorch's side of the peer harness (test/peer/harness.ts).

Reads every case as JSON on stdin: its inputs, variables, extra placeholders
and cotangents (values row-major, float32-exact), and its `torch` code.
For each case it builds float32 tensors from the same values, evaluates the
code (an expression, or statements assigning `out`) with x0, x1, ..., v, the
extra placeholders, torch, F, np and tf1 (tf1.py: TF1's conventions written
out in torch) in scope, and answers the compared outputs and the gradients
of sum(out * cotangent) with respect to every float input and every
variable, as JSON on stdout. Without torch it answers
{"torch": false} and the harness decides whether that is a skip.
"""
import json
import math
import os
import sys
import traceback


def main():
    request = json.load(sys.stdin)
    try:
        import numpy as np
        import torch
        import torch.nn.functional as F
    except ImportError as error:
        json.dump({"torch": False, "reason": str(error)}, sys.stdout)
        return
    # The machine is shared (CI has 2 cores): one thread, and the same sums every run.
    torch.set_num_threads(1)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import tf1

    results = [run_case(case, torch, F, np, tf1) for case in request["cases"]]
    json.dump({"torch": True, "version": torch.__version__, "results": results}, sys.stdout, allow_nan=False)


def tensor(torch, spec, requires_grad):
    shape = spec["shape"]
    dtype = spec["dtype"]
    if dtype == "float32":
        t = torch.tensor(spec["values"], dtype=torch.float32).reshape(shape)
        return t.requires_grad_(True) if requires_grad else t
    if dtype == "int32":
        # torch indexes (gather, embedding, one_hot) with int64.
        return torch.tensor(spec["values"], dtype=torch.int64).reshape(shape)
    return torch.tensor([v != 0 for v in spec["values"]], dtype=torch.bool).reshape(shape)


def finite(values):
    """JSON has no NaN or infinities: they travel as strings."""
    return [v if math.isfinite(v) else str(v).replace("inf", "Infinity").replace("nan", "NaN") for v in values]


def kind(torch, t):
    if t.dtype == torch.bool:
        return "bool"
    if t.dtype in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8):
        return "int32"
    if t.dtype == torch.float32:
        return "float32"
    return str(t.dtype).replace("torch.", "")


def evaluate(code, scope):
    try:
        compiled = compile(code, "<torch>", "eval")
    except SyntaxError:
        exec(compile(code, "<torch>", "exec"), scope)
        if "out" not in scope:
            raise NameError("the torch statements assign no `out`")
        return scope["out"]
    return eval(compiled, scope)


def run_case(case, torch, F, np, tf1):
    try:
        inputs = [tensor(torch, spec, True) for spec in case["inputs"]]
        variables = {name: tensor(torch, spec, True) for name, spec in case["variables"].items()}
        scope = {"torch": torch, "F": F, "np": np, "tf1": tf1, "v": variables}
        for name, spec in case["extra"].items():
            scope[name] = tensor(torch, spec, False)
        for i, t in enumerate(inputs):
            scope["x%d" % i] = t
        out = evaluate(case["torch"], scope)
        every = list(out) if isinstance(out, (tuple, list)) else [out]
        every = [o if isinstance(o, torch.Tensor) else torch.tensor(o) for o in every]
        compared = []
        for i in case["outputs"]:
            if i >= len(every):
                raise IndexError("out has %d outputs; the case compares output %d" % (len(every), i))
            compared.append(every[i])

        leaves = [("x%d" % i, t) for i, t in enumerate(inputs) if t.dtype == torch.float32]
        leaves += [(name, t) for name, t in variables.items()]
        terms = []
        for o, cot in zip(compared, case["cotangents"]):
            if cot is not None and o.dtype == torch.float32 and o.requires_grad:
                terms.append((o * tensor(torch, cot, False)).sum())
        input_grads = {}
        variable_grads = {}
        if any(c is not None for c in case["cotangents"]) and leaves:
            if terms:
                grads = torch.autograd.grad(sum(terms), [t for _, t in leaves], allow_unused=True)
            else:
                grads = [None] * len(leaves)
            for (name, t), g in zip(leaves, grads):
                values = (g if g is not None else torch.zeros_like(t)).detach().reshape(-1).tolist()
                if name in variables:
                    variable_grads[name] = finite(values)
                else:
                    input_grads[name] = finite(values)

        def answer(o):
            k = kind(torch, o)
            flat = o.detach().reshape(-1)
            values = flat.to(torch.int64).tolist() if k in ("int32", "bool") else finite(flat.double().tolist())
            return {"shape": list(o.shape), "dtype": k, "values": values}

        return {"outputs": [answer(o) for o in compared], "inputGrads": input_grads, "variableGrads": variable_grads}
    except Exception:
        return {"error": traceback.format_exc(limit=-3)}


if __name__ == "__main__":
    main()
