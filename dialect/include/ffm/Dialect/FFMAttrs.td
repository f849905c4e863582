//===- FFMAttrs.td - ffm dialect attributes ----------------*- tablegen -*-===//
//
// The ffm dialect carries no operations: it annotates linalg IR with the
// accelerator it runs on (#ffm.arch), the mapping chosen for each op
// (#ffm.mapping) and the memory level a buffer lives in (#ffm.level_space).
//
//===----------------------------------------------------------------------===//

#ifndef FFM_DIALECT_FFMATTRS_TD
#define FFM_DIALECT_FFMATTRS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/DialectBase.td"
include "mlir/Dialect/SCF/IR/DeviceMappingInterface.td"

def FFM_Dialect : Dialect {
  let name = "ffm";
  let summary = "Accelerator descriptions and fused mappings for the FFM mapper";
  let cppNamespace = "::ffm";
  let useDefaultAttributePrinterParser = 1;
}

// Energies and bandwidths are printed in their shortest round-tripping form.
class FFM_Double<string desc> : AttrOrTypeParameter<"::llvm::APFloat", desc> {
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
  let parser = [{ ::ffm::detail::parseDouble($_parser) }];
  let printer = [{ ::ffm::detail::printDouble($_printer, $_self) }];
}
class FFM_OptionalDouble<string desc>
    : AttrOrTypeParameter<"std::optional<::llvm::APFloat>", desc> {
  let comparator = "::ffm::detail::sameOptional($_lhs, $_rhs)";
  let parser = [{ ::ffm::detail::parseOptionalDouble($_parser) }];
  let printer = [{ ::ffm::detail::printDouble($_printer, *$_self) }];
  let defaultValue = "std::nullopt";
}
// Bracketed lists, optional (elided when empty).
class FFM_List<string elt, string desc> : ArrayRefParameter<elt, desc> {
  let parser = [{ ::ffm::detail::parseList<}] # elt # [{>($_parser) }];
  let printer = [{ ::ffm::detail::printList($_printer, $_self) }];
  let defaultValue = cppStorageType # "()";
  let comparator = "::llvm::ArrayRef<" # elt # ">($_lhs) == ::llvm::ArrayRef<" # elt # ">($_rhs)";
}

class FFM_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<FFM_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def FFM_LevelAttr : FFM_Attr<"Level", "level"> {
  let summary = "One memory level of an accelerator";
  let description = [{
    `capacity` is in bytes per instance and absent only for an unbounded level
    (DRAM). Energies are pJ per datum moved; `bandwidth` is data (reads plus
    writes) per cycle per instance, `read_bandwidth` / `write_bandwidth`
    those of separate ports (absent: unlimited); the level takes the longest
    of the times they give. `leakage` is static energy, pJ per cycle per
    instance (absent: none). `min_usage` is the least fraction of the
    fanout's instances every mapping must use (absent: 0). `fanout` lists the spatial dimensions of the
    instances below this level; `spatial_ranks` restricts which rank
    variables may be spread over them (empty: any). `reuse` says per fanout
    dimension what its instances share: "any" (default), "none", "inputs"
    (inputs multicast; only ranks that leave an input unindexed) or
    "outputs" (output reduced; only ranks that do not index the output).
    `keep` / `bypass` name tensor roles ("inputs", "outputs") that every
    mapping must / must not hold at this level. `datum_bits` gives widths
    by tensor class where they differ from the arch's (`{output = 24}`).
  }];
  let parameters = (ins
    StringRefParameter<"level name">:$name,
    OptionalParameter<"std::optional<int64_t>", "capacity in bytes">:$capacity,
    FFM_Double<"read energy, pJ per datum">:$read_energy,
    FFM_Double<"write energy, pJ per datum">:$write_energy,
    FFM_OptionalDouble<"data per cycle">:$bandwidth,
    FFM_OptionalDouble<"reads per cycle">:$read_bandwidth,
    FFM_OptionalDouble<"writes per cycle">:$write_bandwidth,
    FFM_OptionalDouble<"leakage, pJ per cycle per instance">:$leakage,
    FFM_List<"int64_t", "spatial fanout">:$fanout,
    FFM_OptionalDouble<"least fraction of the fanout used">:$min_usage,
    FFM_List<"::mlir::StringAttr", "ranks allowed on the fanout">:$spatial_ranks,
    FFM_List<"::mlir::StringAttr", "what each fanout dimension shares">:$reuse,
    FFM_List<"::mlir::StringAttr", "roles always kept here">:$keep,
    FFM_List<"::mlir::StringAttr", "roles never kept here">:$bypass,
    OptionalParameter<"::mlir::DictionaryAttr", "bits per datum by tensor class">:$datum_bits
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    ::ffm::Level toLevel() const;
    /// The attribute that toLevel() gives `level` back from, exactly.
    static LevelAttr get(::mlir::MLIRContext *context,
                         const ::ffm::Level &level);
  }];
}

def FFM_ComputeAttr : FFM_Attr<"Compute", "compute"> {
  let summary = "A compute unit: by default the MACs below the innermost level";
  let description = [{
    `instances` may be omitted (the levels above give it). A unit other
    than the arch's `compute` names the `level` it sits below (beside that
    level's fanout) and `runs` the Einsum kinds it takes ("contraction",
    "reduction", "elementwise", "unary", "all", joined by + and -).
  }];
  let parameters = (ins
    OptionalParameter<"::mlir::StringAttr", "unit name">:$name,
    OptionalParameter<"::mlir::StringAttr", "the level it sits below">:$level,
    OptionalParameter<"::mlir::StringAttr", "Einsum kinds it runs">:$runs,
    FFM_Double<"pJ per operation">:$mac_energy,
    OptionalParameter<"std::optional<int64_t>", "instances">:$instances,
    FFM_Double<"operations per cycle per instance">:$throughput,
    FFM_OptionalDouble<"leakage, pJ per cycle per instance">:$leakage
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    ::ffm::Compute toCompute() const;
    /// The attribute that toCompute() gives `unit` back from, exactly.
    static ComputeAttr get(::mlir::MLIRContext *context,
                           const ::ffm::Compute &unit);
  }];
}

def FFM_ArchAttr : FFM_Attr<"Arch", "arch"> {
  let summary = "An accelerator: memory levels outermost first, then compute";
  let parameters = (ins
    FFM_List<"::ffm::LevelAttr", "memory levels, outermost first">:$levels,
    "::ffm::ComputeAttr":$compute,
    FFM_List<"::ffm::ComputeAttr", "further compute units">:$units,
    DefaultValuedParameter<"int64_t", "8", "bits per datum">:$datum_bits,
    OptionalParameter<"::mlir::StringAttr", "output accounting below the outermost node">:$output_rmw,
    OptionalParameter<"::mlir::StringAttr", "fill and access accounting">:$accounting
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The IR-free description the mapper consumes.
    ::ffm::Arch toArch() const;
    /// The attribute that toArch() gives `arch` back from, exactly: what
    /// ffm-fuse records of an architecture read from a file.
    static ArchAttr get(::mlir::MLIRContext *context, const ::ffm::Arch &arch);
  }];
}

def FFM_MappingAttr : FFM_Attr<"Mapping", "mapping"> {
  let summary = "A LoopTree mapping of one Einsum, top (DRAM) to compute";
  let description = [{
    Nodes are `keep TENSOR in LEVEL` (the tile of TENSOR below this point
    is held in LEVEL), `for RANK : N` (temporal loop of N iterations) and
    `par RANK : N in LEVEL` or `in LEVEL[D]` (spatial loop over the fanout
    of LEVEL, its dimension D). On an
    architecture with several compute units, `on UNIT` after the list names
    the one that runs the Einsum (absent: the arch's `compute`).
  }];
  let parameters = (ins
    ArrayRefParameter<"::ffm::MappingNode", "LoopTree nodes">:$nodes,
    OptionalParameter<"::mlir::StringAttr", "compute unit">:$unit
  );
  let hasCustomAssemblyFormat = 1;
}

def FFM_LevelSpaceAttr : FFM_Attr<"LevelSpace", "level_space"> {
  let summary = "Memory space naming the accelerator level a buffer lives in";
  let parameters = (ins StringRefParameter<"level name">:$level);
  let assemblyFormat = "`<` $level `>`";
}

def FFM_FanoutAttr : FFM_Attr<"Fanout", "fanout", [
    DeclareAttrInterfaceMethods<DeviceMappingAttrInterface>]> {
  let summary = "scf.forall mapping onto one fanout dimension of a level";
  let parameters = (ins StringRefParameter<"level name">:$level,
                        "int64_t":$dim);
  let assemblyFormat = "`<` $level `,` $dim `>`";
}

#endif // FFM_DIALECT_FFMATTRS_TD
