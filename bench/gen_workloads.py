#!/usr/bin/env python3
"""Generates linalg-on-tensors workloads for ffm-mlir.

  gen_workloads.py transformer --layers N [--tokens M --model D --heads H
                                --head-dim E --ffn C] [--elem f32]
  gen_workloads.py chain --n N [--dims 64,32,64,...]
  gen_workloads.py attention [--tokens M --head-dim E]
  gen_workloads.py random --seed S [--ops N]
  gen_workloads.py resnet [--batch N --hw H --channels C --mid M --stride S]
  gen_workloads.py mobilenet [--batch N --hw H --channels C --expand T
                              --stride S]
  gen_workloads.py convchain [--n N --hw H --channels C --kernel K
                              --stride S --dilation D] [--seed X [--widen]]

A random workload is a seeded DAG of small Einsums over odd and prime
sizes: contractions with new weights or with earlier results (fan-in),
contractions accumulating into an earlier tensor or an argument, residual
adds, transposed elementwise ops, reductions and broadcasts, with
tensors read by several consumers (fan-out) and every unread result
returned. The same seed always gives the same IR.

A Transformer layer follows the FFM paper's Einsums: V, K, Q projections,
QK, softmax (max, exp, sum, divide), AV, Z (output projection), FFA with a
ReLU, FFB. Every op is a linalg op with projected-permutation maps, so each
one is an Einsum of the mapper's workload.

The convolutional workloads are NHWC, in the forms stock TOSA->linalg
lowering produces: linalg.conv_2d_nhwc_hwcf and
linalg.depthwise_conv_2d_nhwc_hwc into a zero-filled init, tensor.pad for
"same" padding, elementwise linalg.generic ops (ReLU, ReLU6, residual add)
with identity maps; weights are function arguments. resnet is a ResNet-50
bottleneck block (1x1 C->M, 3x3 M->M with stride S, 1x1 M->C, residual add,
ReLU; C = 4M unless given; a strided 1x1 C->C projection shortcut when
S > 1). mobilenet is a MobileNet-v2 inverted-residual block (1x1 C->TC,
depthwise 3x3 with stride S, both with ReLU6, linear 1x1 TC->C, residual add
when S == 1). convchain is N unpadded convolutions; with --seed, each layer's
kernel size (1-3), stride (1-2), dilation (1-2) and channel count (1-6), the
layer count (unless --n) and an input size that leaves every output at least
1 wide are drawn from the seed, so the same seed always gives the same IR.
"""
import argparse
import random
import sys


class Emitter:
    def __init__(self, elem):
        self.elem = elem
        self.fp = not elem.startswith("i")
        self.lines = []
        self.sig = []
        self.n = 0

    def fresh(self, hint="v"):
        self.n += 1
        return f"%{hint}{self.n}"

    def ty(self, shape):
        return "tensor<" + "x".join(str(s) for s in shape) + f"x{self.elem}>"

    def zero(self):
        return "0.0" if self.fp else "0"

    def init(self, shape, fill=True):
        e = self.fresh("e")
        self.lines.append(f"    {e} = tensor.empty() : {self.ty(shape)}")
        if not fill:
            return e
        z, f = self.fresh("z"), self.fresh("f")
        self.lines.append(f"    {z} = arith.constant {self.zero()} : {self.elem}")
        self.lines.append(f"    {f} = linalg.fill ins({z} : {self.elem}) outs({e} : {self.ty(shape)}) -> {self.ty(shape)}")
        return f

    def generic(self, ins, out_shape, dims, maps, iters, body, init=None):
        """ins: list of (value, shape); maps: affine results per operand
        (inputs then output) as lists of dim names; body(args) -> lines."""
        dimlist = ", ".join(dims)
        amaps = ", ".join(f"affine_map<({dimlist}) -> ({', '.join(m)})>" for m in maps)
        out = init if init is not None else self.init(out_shape, fill=any(i == "reduction" for i in iters))
        res = self.fresh()
        args = [f"%a{i}" for i in range(len(ins))] + ["%acc"]
        its = ", ".join(f'"{i}"' for i in iters)
        ins_s = ", ".join(v for v, _ in ins)
        ins_t = ", ".join(self.ty(s) for _, s in ins)
        self.lines.append(f"    {res} = linalg.generic {{indexing_maps = [{amaps}], iterator_types = [{its}]}}")
        self.lines.append(f"        ins({ins_s} : {ins_t}) outs({out} : {self.ty(out_shape)}) {{")
        self.lines.append("    ^bb0(" + ", ".join(f"{a}: {self.elem}" for a in args) + "):")
        for l in body(args):
            self.lines.append("      " + l)
        self.lines.append(f"    }} -> {self.ty(out_shape)}")
        return res

    def contraction(self, a, b, dims, bounds, ma, mb, mo):
        """out[mo] += a[ma] * b[mb] over the dims not in mo."""
        shape = lambda m: [bounds[d] for d in m]
        iters = ["parallel" if d in mo else "reduction" for d in dims]
        add = "arith.addf" if self.elem.startswith("f") else "arith.addi"
        mul = "arith.mulf" if self.elem.startswith("f") else "arith.muli"
        return self.generic([(a, shape(ma)), (b, shape(mb))], shape(mo), dims,
                            [ma, mb, mo], iters,
                            lambda g: [f"%p = {mul} {g[0]}, {g[1]} : {self.elem}",
                                       f"%s = {add} %acc, %p : {self.elem}",
                                       f"linalg.yield %s : {self.elem}"])

    def arg(self, name, shape):
        """A function argument %name; returns (value, shape)."""
        self.sig.append(f"%{name}: {self.ty(shape)}")
        return f"%{name}", shape

    def module(self, name, res):
        """The module around one function of self.sig returning res = (value, shape)."""
        v, t = res[0], self.ty(res[1])
        return "\n".join([f"// Generated by bench/gen_workloads.py {' '.join(sys.argv[1:])}", "module {",
                          f"  func.func @{name}({', '.join(self.sig)}) -> {t} {{"] + self.lines +
                         [f"    return {v} : {t}", "  }", "}"])

    def pad(self, x, p):
        """x = (value, NHWC shape) zero-padded by p on both sides of H and W."""
        v, (N, H, W, C) = x
        out = [N, H + 2 * p, W + 2 * p, C]
        z, r = self.fresh("z"), self.fresh("pad")
        self.lines += [f"    {z} = arith.constant {self.zero()} : {self.elem}",
                       f"    {r} = tensor.pad {v} low[0, {p}, {p}, 0] high[0, {p}, {p}, 0] {{",
                       "    ^bb0(%i: index, %j: index, %k: index, %l: index):",
                       f"      tensor.yield {z} : {self.elem}",
                       f"    }} : {self.ty(x[1])} to {self.ty(out)}"]
        return r, out

    def conv(self, x, w, K, F=None, stride=1, dil=1, pad=0):
        """NHWC convolution of x = (value, shape), zero-padded by pad, with a
        new KxKxCxF weight argument %w, or a KxKxC depthwise one if F is None.
        Returns (value, shape)."""
        if pad:
            x = self.pad(x, pad)
        v, (N, H, W, C) = x
        P, Q = ((s - dil * (K - 1) - 1) // stride + 1 for s in (H, W))
        if min(P, Q) < 1:
            sys.exit(f"{K}x{K} conv (stride {stride}, dilation {dil}) of a {H}x{W} input is empty")
        wv, ws = self.arg(w, [K, K, C] + ([] if F is None else [F]))
        out = [N, P, Q, C if F is None else F]
        op = "depthwise_conv_2d_nhwc_hwc" if F is None else "conv_2d_nhwc_hwcf"
        init, r = self.init(out), self.fresh("conv")
        self.lines.append(f"    {r} = linalg.{op} {{dilations = dense<{dil}> : tensor<2xi64>, "
                          f"strides = dense<{stride}> : tensor<2xi64>}} ins({v}, {wv} : {self.ty(x[1])}, "
                          f"{self.ty(ws)}) outs({init} : {self.ty(out)}) -> {self.ty(out)}")
        return r, out

    def eltwise(self, xs, body):
        """An elementwise generic over same-shaped NHWC (value, shape) operands."""
        dims = ["n", "h", "w", "c"]
        return self.generic(xs, xs[0][1], dims, [dims] * (len(xs) + 1), ["parallel"] * 4, body), xs[0][1]

    def relu(self, x, hi=None):
        """max(x, 0), clamped to hi too if given (ReLU6: hi=6)."""
        e, (mx, mn) = self.elem, (("arith.maximumf", "arith.minimumf") if self.fp else ("arith.maxsi", "arith.minsi"))
        up = [f"%hi = arith.constant {hi}{'.0' if self.fp else ''} : {e}", f"%r6 = {mn} %r, %hi : {e}"]
        return self.eltwise([x], lambda g: [f"%zero = arith.constant {self.zero()} : {e}", f"%r = {mx} {g[0]}, %zero : {e}"]
                            + (up if hi else []) + [f"linalg.yield {'%r6' if hi else '%r'} : {e}"])

    def add(self, x, y):
        op = "arith.addf" if self.fp else "arith.addi"
        return self.eltwise([x, y], lambda g: [f"%r = {op} {g[0]}, {g[1]} : {self.elem}",
                                               f"linalg.yield %r : {self.elem}"])


def transformer(args):
    em = Emitter(args.elem)
    M, D, H, E, C = args.tokens, args.model, args.heads, args.head_dim, args.ffn
    fp = args.elem.startswith("f")
    b = dict(m=M, p=M, d=D, h=H, e=E, f=E, g=D, c=C)
    params = []
    x = "%x"
    sig = [f"%x: {em.ty([M, D])}"]
    for l in range(args.layers):
        w = {}
        for name, shape in [("wv", [D, H, E]), ("wk", [D, H, E]), ("wq", [D, H, E]),
                            ("wz", [H, E, D]), ("wa", [D, C]), ("wb", [C, D])]:
            w[name] = f"%{name}{l}"
            sig.append(f"{w[name]}: {em.ty(shape)}")
        dims = ["m", "d", "h", "e"]
        proj = {}
        for n in ["wv", "wk", "wq"]:
            proj[n] = em.contraction(x, w[n], dims, b, ["m", "d"], ["d", "h", "e"], ["m", "h", "e"])
        # QK[h, m, p] = Q[m, h, e] * K[p, h, e]
        qk = em.contraction(proj["wq"], proj["wk"], ["h", "m", "p", "e"], b,
                            ["m", "h", "e"], ["p", "h", "e"], ["h", "m", "p"])
        if fp:
            att = softmax(em, qk, H, M, args.elem)
        else:
            att = qk
        # AV[m, h, f] = A[h, m, p] * V[p, h, f]
        av = em.contraction(att, proj["wv"], ["m", "h", "f", "p"], b,
                            ["h", "m", "p"], ["p", "h", "f"], ["m", "h", "f"])
        # Z[m, g] = AV[m, h, f] * WZ[h, f, g]
        z = em.contraction(av, w["wz"], ["m", "g", "h", "f"], b,
                           ["m", "h", "f"], ["h", "f", "g"], ["m", "g"])
        fa = em.contraction(z, w["wa"], ["m", "c", "g"], b, ["m", "g"], ["g", "c"], ["m", "c"])
        relu = ("arith.maximumf" if fp else "arith.maxsi")
        act = em.generic([(fa, [M, C])], [M, C], ["m", "c"], [["m", "c"], ["m", "c"]], ["parallel"] * 2,
                         lambda g: [f"%zero = arith.constant {em.zero()} : {args.elem}",
                                    f"%r = {relu} {g[0]}, %zero : {args.elem}", f"linalg.yield %r : {args.elem}"])
        x = em.contraction(act, w["wb"], ["m", "g", "c"], b, ["m", "c"], ["c", "g"], ["m", "g"])
    out = []
    out.append(f"// Generated by bench/gen_workloads.py {' '.join(sys.argv[1:])}")
    out.append("module {")
    out.append(f"  func.func @{args.name}({', '.join(sig)}) -> {em.ty([M, D])} {{")
    out.extend(em.lines)
    out.append(f"    return {x} : {em.ty([M, D])}")
    out.append("  }")
    out.append("}")
    return "\n".join(out)


def softmax(em, x, H, M, elem):
    """Softmax over the last rank of x[h, m, p]: max, exp(x - max), sum,
    divide. Returns the result value."""
    ty = [H, M]
    mx_init = em.init(ty, fill=False)
    ninf = em.fresh("ninf")
    em.lines.append(f"    {ninf} = arith.constant -3.0e38 : {elem}")
    mxf = em.fresh("f")
    em.lines.append(f"    {mxf} = linalg.fill ins({ninf} : {elem}) outs({mx_init} : {em.ty(ty)}) -> {em.ty(ty)}")
    dims = ["h", "m", "p"]
    full, row = ["h", "m", "p"], ["h", "m"]
    mx = em.generic([(x, [H, M, M])], ty, dims, [full, row], ["parallel", "parallel", "reduction"],
                    lambda g: [f"%r = arith.maximumf {g[0]}, %acc : {elem}", f"linalg.yield %r : {elem}"], init=mxf)
    ex = em.generic([(x, [H, M, M]), (mx, ty)], [H, M, M], dims, [full, row, full], ["parallel"] * 3,
                    lambda g: [f"%d = arith.subf {g[0]}, {g[1]} : {elem}",
                               f"%r = math.exp %d : {elem}", f"linalg.yield %r : {elem}"])
    sm = em.generic([(ex, [H, M, M])], ty, dims, [full, row], ["parallel", "parallel", "reduction"],
                    lambda g: [f"%r = arith.addf {g[0]}, %acc : {elem}", f"linalg.yield %r : {elem}"])
    return em.generic([(ex, [H, M, M]), (sm, ty)], [H, M, M], dims, [full, row, full], ["parallel"] * 3,
                      lambda g: [f"%r = arith.divf {g[0]}, {g[1]} : {elem}", f"linalg.yield %r : {elem}"])


def attention(args):
    em = Emitter(args.elem)
    M, E = args.tokens, args.head_dim
    b = dict(h=1, m=M, p=M, e=E, f=E)
    sig = [f"%q: {em.ty([M, 1, E])}", f"%k: {em.ty([M, 1, E])}", f"%v: {em.ty([M, 1, E])}"]
    qk = em.contraction("%q", "%k", ["h", "m", "p", "e"], b, ["m", "h", "e"], ["p", "h", "e"], ["h", "m", "p"])
    att = softmax(em, qk, 1, M, args.elem)
    av = em.contraction(att, "%v", ["m", "h", "f", "p"], b, ["h", "m", "p"], ["p", "h", "f"], ["m", "h", "f"])
    out = em.ty([M, 1, E])
    return "\n".join([f"// Generated by bench/gen_workloads.py {' '.join(sys.argv[1:])}", "module {",
                      f"  func.func @{args.name}({', '.join(sig)}) -> {out} {{"] + em.lines +
                     [f"    return {av} : {out}", "  }", "}"])


def chain(args):
    em = Emitter(args.elem)
    dims = [int(d) for d in args.dims.split(",")] if args.dims else [64] * (args.n + 2)
    if len(dims) != args.n + 2:
        sys.exit(f"--dims needs {args.n + 2} sizes for {args.n} matmuls")
    M = dims[0]
    sig = [f"%x: {em.ty([M, dims[1]])}"]
    x = "%x"
    for i in range(args.n):
        K, N = dims[i + 1], dims[i + 2]
        sig.append(f"%w{i}: {em.ty([K, N])}")
        out = em.init([M, N])
        r = em.fresh()
        em.lines.append(f"    {r} = linalg.matmul ins({x}, %w{i} : {em.ty([M, K])}, {em.ty([K, N])}) outs({out} : {em.ty([M, N])}) -> {em.ty([M, N])}")
        x = r
    N = dims[-1]
    return "\n".join([f"// Generated by bench/gen_workloads.py {' '.join(sys.argv[1:])}", "module {",
                      f"  func.func @{args.name}({', '.join(sig)}) -> {em.ty([M, N])} {{"] + em.lines +
                     [f"    return {x} : {em.ty([M, N])}", "  }", "}"])


def random_dag(args):
    rng = random.Random(args.seed)
    em = Emitter("f32")
    ranks = "abcdefgh"
    size = {r: rng.choice([2, 3, 5, 6, 7, 9, 11, 12, 13]) for r in ranks}
    sig, pool, used = [], [], set()  # pool: (value, dims) in program order

    def arg(dims):
        v = f"%in{len(sig)}"
        sig.append(f"{v}: {em.ty([size[d] for d in dims])}")
        pool.append((v, dims))
        return v, dims

    def fresh_dims(n, avoid=()):
        return rng.sample([r for r in ranks if r not in avoid], n)

    def emit(ins, out_dims, body, init=None):
        dims = []
        for _, ds in ins:
            dims += [d for d in ds if d not in dims]
        dims += [d for d in out_dims if d not in dims]
        iters = ["parallel" if d in out_dims else "reduction" for d in dims]
        for v, _ in ins:
            used.add(v)
        if init is not None:
            used.add(init)
        elif any("%acc" in l for l in body(["%a0", "%a1", "%acc"])):
            init = em.init([size[d] for d in out_dims])  # read: zero it
        res = em.generic([(v, [size[d] for d in ds]) for v, ds in ins], [size[d] for d in out_dims],
                         dims, [ds for _, ds in ins] + [out_dims], iters, body, init=init)
        pool.append((res, out_dims))

    arg(fresh_dims(rng.choice([2, 2, 3])))
    if rng.random() < 0.5:
        arg(fresh_dims(2))
    mac = lambda g: ["%p = arith.mulf " + g[0] + ", " + g[1] + " : f32",
                     "%s = arith.addf %acc, %p : f32", "linalg.yield %s : f32"]
    for _ in range(args.ops or rng.randint(3, 8)):
        # Prefer recent results so the DAG stays connected and deep.
        x, xd = rng.choice(pool[-3:])
        kind = rng.choice(["contract", "contract", "accumulate", "residual", "transpose", "reduce",
                           "broadcast"])
        if kind == "contract":
            k = rng.choice(xd)
            partners = [(v, ds) for v, ds in pool if v != x and k in ds and len(set(xd) | set(ds)) <= 4]
            if partners and rng.random() < 0.4:
                y, yd = rng.choice(partners)  # fan-in of two computed tensors
            else:
                y, yd = arg([k] + fresh_dims(1, avoid=xd))
            out = [d for d in dict.fromkeys(xd + yd) if d != k]
            if not out or len(out) > 3:
                out = [d for d in xd if d != k] or [yd[-1]]
            rng.shuffle(out)
            emit([(x, xd), (y, yd)], out, mac)
        elif kind == "accumulate":
            # y += x * w, into an earlier result (or a new argument) y: the
            # init is data, read by the op; w spans x's dims that y lacks
            # (contracted) and y's that x lacks.
            computed = [(v, ds) for v, ds in pool if v != x and not v.startswith("%in")]
            if computed and rng.random() < 0.6:
                y, yd = rng.choice(computed)
            else:
                y, yd = arg([d for d in xd if rng.random() < 0.5] + fresh_dims(1, avoid=xd))
            wdims = [d for d in xd if d not in yd] + [d for d in yd if d not in xd]
            w, wd = arg(wdims or list(yd))
            if len(set(xd) | set(yd)) > 4:
                w, wd = arg(list(yd))
                x, xd = y, yd  # keep the iteration space small: y += y * w
            emit([(x, xd), (w, wd)], yd, mac, init=y)
        elif kind == "residual":
            same = [(v, ds) for v, ds in pool if v != x and sorted(ds) == sorted(xd)]
            y, yd = rng.choice(same) if same else arg(rng.sample(xd, len(xd)))
            emit([(x, xd), (y, yd)], xd,
                 lambda g: ["%r = arith.addf " + g[0] + ", " + g[1] + " : f32", "linalg.yield %r : f32"])
        elif kind == "transpose":
            emit([(x, xd)], rng.sample(xd, len(xd)),
                 lambda g: ["%zero = arith.constant 0.0 : f32", "%r = arith.maximumf " + g[0] + ", %zero : f32",
                            "linalg.yield %r : f32"])
        elif kind == "reduce" and len(xd) >= 2:
            r = rng.choice(xd)
            emit([(x, xd)], [d for d in xd if d != r],
                 lambda g: ["%r = arith.addf " + g[0] + ", %acc : f32", "linalg.yield %r : f32"])
        elif len(xd) <= 2:  # broadcast along a new rank, with a bias over it
            n = fresh_dims(1, avoid=xd)
            b, bd = arg(n)
            out = xd + n
            rng.shuffle(out)
            emit([(x, xd), (b, bd)], out,
                 lambda g: ["%r = arith.addf " + g[0] + ", " + g[1] + " : f32", "linalg.yield %r : f32"])
        else:
            emit([(x, xd)], xd, lambda g: ["%r = math.exp " + g[0] + " : f32", "linalg.yield %r : f32"])
    results = [(v, ds) for v, ds in pool if v not in used and not v.startswith("%in")]
    tys = [em.ty([size[d] for d in ds]) for _, ds in results]
    return "\n".join([f"// Generated by bench/gen_workloads.py {' '.join(sys.argv[1:])}", "module {",
                      f"  func.func @{args.name}({', '.join(sig)}) -> ({', '.join(tys)}) {{"] + em.lines +
                     [f"    return {', '.join(v for v, _ in results)} : {', '.join(tys)}", "  }", "}"])


def resnet(args):
    em = Emitter(args.elem)
    M, S = args.mid, args.stride
    C = args.channels or 4 * M
    x = em.arg("x", [args.batch, args.hw, args.hw, C])
    y = em.relu(em.conv(x, "w1", 1, M))
    y = em.relu(em.conv(y, "w2", 3, M, stride=S, pad=1))
    y = em.conv(y, "w3", 1, C)
    return em.module(args.name, em.relu(em.add(y, em.conv(x, "wsc", 1, C, stride=S) if S > 1 else x)))


def mobilenet(args):
    em = Emitter(args.elem)
    C = args.channels
    x = em.arg("x", [args.batch, args.hw, args.hw, C])
    y = em.relu(em.conv(x, "w1", 1, args.expand * C), hi=6)
    y = em.relu(em.conv(y, "wdw", 3, stride=args.stride, pad=1), hi=6)
    y = em.conv(y, "w3", 1, C)
    return em.module(args.name, em.add(y, x) if args.stride == 1 else y)


def convchain(args):
    em = Emitter(args.elem)
    if args.seed is None:
        layers = [(args.kernel, args.stride, args.dilation, args.channels)] * (args.n or 2)
        H, C = args.hw, args.channels
    else:
        rng = random.Random(args.seed)
        if args.widen:
            # Channels grow from a 1-channel input: each intermediate is
            # larger than what its producer reads, where recomputing a halo
            # beats a DRAM round trip (halo loops, docs/model.md).
            layers = [(rng.randint(2, 3), rng.randint(1, 2), rng.randint(1, 2), rng.randint(3, 6))
                      for _ in range(args.n or rng.randint(2, 3))]
            H, C = rng.randint(3, 5), 1
        else:
            layers = [(rng.randint(1, 3), rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 6))
                      for _ in range(args.n or rng.randint(1, 4))]
            H, C = rng.randint(1, 4), rng.randint(1, 6)
        for K, S, D, _ in reversed(layers):  # smallest input for H outputs, plus a remainder < S
            H = (H - 1) * S + D * (K - 1) + 1 + rng.randrange(S)
    x = em.arg("x", [1, H, H, C])
    for i, (K, S, D, F) in enumerate(layers):
        x = em.conv(x, f"w{i}", K, F, stride=S, dil=D)
    return em.module(args.name, x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="kind", required=True)
    t = sub.add_parser("transformer")
    t.add_argument("--layers", type=int, default=1)
    t.add_argument("--tokens", type=int, default=8192)
    t.add_argument("--model", type=int, default=4096)
    t.add_argument("--heads", type=int, default=32)
    t.add_argument("--head-dim", type=int, default=128)
    t.add_argument("--ffn", type=int, default=16384)
    t.add_argument("--elem", default="f32")
    t.add_argument("--name", default="transformer")
    c = sub.add_parser("chain")
    c.add_argument("--n", type=int, default=2)
    c.add_argument("--dims", default="")
    c.add_argument("--elem", default="f32")
    c.add_argument("--name", default="chain")
    at = sub.add_parser("attention")
    at.add_argument("--tokens", type=int, default=16)
    at.add_argument("--head-dim", type=int, default=8)
    at.add_argument("--elem", default="f32")
    at.add_argument("--name", default="attention_head")
    r = sub.add_parser("random")
    r.add_argument("--seed", type=int, required=True)
    r.add_argument("--ops", type=int, default=0, help="number of ops (default: 3 to 8, from the seed)")
    r.add_argument("--name", default="random_dag")
    rn = sub.add_parser("resnet")
    mb = sub.add_parser("mobilenet")
    cc = sub.add_parser("convchain")
    cc.add_argument("--widen", action="store_true",
                    help="with --seed: kernels 2-3, channels growing from 1 (halo fusion pays)")
    for p, name in [(rn, "resnet_bottleneck"), (mb, "mobilenet_block"), (cc, "convchain")]:
        if p is not cc:
            p.add_argument("--batch", type=int, default=1)
        p.add_argument("--hw", type=int, default=8, help="input height and width")
        p.add_argument("--stride", type=int, default=1)
        p.add_argument("--elem", default="f32")
        p.add_argument("--name", default=name)
    rn.add_argument("--mid", type=int, default=8)
    rn.add_argument("--channels", type=int, default=0, help="block input/output channels (default: 4 * mid)")
    mb.add_argument("--channels", type=int, default=8)
    mb.add_argument("--expand", type=int, default=4)
    cc.add_argument("--n", type=int, default=0, help="number of convs (default: 2, or 1 to 4 from the seed)")
    cc.add_argument("--channels", type=int, default=4)
    cc.add_argument("--kernel", type=int, default=3)
    cc.add_argument("--dilation", type=int, default=1)
    cc.add_argument("--seed", type=int, help="random layers and sizes (--hw, --channels, --kernel, "
                                             "--stride, --dilation are ignored)")
    a = ap.parse_args()
    print({"transformer": transformer, "chain": chain, "attention": attention,
           "random": random_dag, "resnet": resnet, "mobilenet": mobilenet, "convchain": convchain}[a.kind](a))


if __name__ == "__main__":
    main()
