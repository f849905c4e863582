# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "FFM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ffm_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(("%ffm_src", config.ffm_src_root))
config.substitutions.append(("%ffm_lib", os.path.join(config.ffm_obj_root, "lib")))
config.substitutions.append(("%ffm_build", config.ffm_obj_root))
config.substitutions.append(("%llvm_lib", config.llvm_lib_dir))
shared_inputs = os.path.join(config.ffm_src_root, "..", "shared", "inputs")
if os.path.isdir(shared_inputs):
    config.available_features.add("shared-inputs")
config.substitutions.append(("%shared_inputs", shared_inputs))

# The reference mapper in its Debian 13 chroot (bench/peer/install.sh), for
# test/Peer: without it those tests are UNSUPPORTED.
peer_root = os.environ.get("FFM_PEER_ROOT", "/opt/ffm-peer/trixie")
if os.path.exists(os.path.join(peer_root, "opt", "afvenv", "bin", "python")) and os.geteuid() == 0:
    config.available_features.add("accelforge")
llvm_config.with_system_environment(["FFM_PEER_ROOT"])

# A sanitizer build (scripts/sanitize.sh) instruments our code only: stock
# mlir-opt cannot load an instrumented plugin, nor can an uninstrumented
# consumer link our instrumented libraries.
if "address" in getattr(config, "ffm_sanitizers", ""):
    config.available_features.add("asan")

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS",
                                     "LSAN_OPTIONS"])
llvm_config.use_default_substitutions()

tool_dirs = [os.path.join(config.ffm_obj_root, "bin"), config.llvm_tools_dir]
tools = ["ffm-opt", "mlir-opt", "mlir-runner", "ffm-unittests"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", os.path.join(config.ffm_obj_root, "bin"), append_path=True)
