package dev.finetune4j.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The weights of a GPT-2-style model, held in one flat {@code float[]} in GPT-2's tensor order and names.
 *
 * <p>{@code GptModel.base("nano")} is the deterministic base model of a preset; {@code GptModel.load(path)} reads a
 * model file written by {@link #save}. Initialisation follows GPT-2: N(0, 0.02) for matrices and embeddings,
 * N(0, 0.02/sqrt(2*layers)) for the residual output projections, zero biases, unit LayerNorm weights.
 *
 * <p>Model file format (version 1): magic {@code "F4JW"}, int version, the config (UTF name, five ints), int tensor
 * count, then per tensor its UTF name, int rank, int dims, and its floats (int length then little-endian floats);
 * finally the CRC-32 of all preceding bytes as a long.
 */
public final class GptModel {
    /** Seed of the base models: {@code base(name)} is {@code init(GptConfig.named(name), BASE_SEED)}. */
    public static final long BASE_SEED = 20240601L;
    static final int MAGIC = 0x46344A57; // "F4JW"
    static final int VERSION = 1;

    private final GptConfig config;
    final Layout layout;
    /** The weights, as rows (see {@link Layout}). */
    final float[][] rows;
    /** Transposed copies of the matrices, valid after {@link #refreshTransposed()}. */
    final float[][] transposedRows;

    GptModel(GptConfig config, float[][] rows) {
        this.config = config;
        this.layout = new Layout(config);
        if (rows.length != layout.rowCount) {
            throw new IllegalArgumentException("expected " + layout.rowCount + " rows for " + config + ", got " + rows.length);
        }
        this.rows = rows;
        this.transposedRows = layout.newTransposedRows();
        refreshTransposed();
    }

    /** A freshly initialised model, e.g. {@code GptModel.init(GptConfig.named("micro"), 42)}. */
    public static GptModel init(GptConfig config, long seed) {
        Layout layout = new Layout(config);
        float[][] p = layout.newRows();
        Rng rng = new Rng(seed);
        double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
        for (Layout.Tensor t : layout.tensors) {
            for (int r = 0; r < t.rows(); r++) {
                float[] row = p[t.row() + r];
                if (t.decays()) {
                    double std = t.name().endsWith("c_proj.weight") ? residualStd : 0.02;
                    for (int i = 0; i < row.length; i++) row[i] = (float) (rng.nextGaussian() * std);
                } else if (t.name().contains("ln_") && t.name().endsWith(".weight")) {
                    Arrays.fill(row, 1f);
                }
            }
        }
        return new GptModel(config, p);
    }

    /** The base model of a preset, e.g. {@code GptModel.base("nano")}: the preset initialised from {@link #BASE_SEED}. */
    public static GptModel base(String presetName) {
        return init(GptConfig.named(presetName), BASE_SEED);
    }

    /** Reads a model file, e.g. {@code GptModel.load(Path.of("model.f4jw"))}; a damaged file gives a clear error. */
    public static GptModel load(Path path) throws IOException {
        return BinaryFiles.read(path, MAGIC, "model", VERSION, GptModel::readBody);
    }

    /** Writes the weights to a model file (atomically), e.g. {@code model.save(Path.of("model.f4jw"))}. */
    public void save(Path path) throws IOException {
        BinaryFiles.write(path, MAGIC, VERSION, this::writeBody);
    }

    void writeBody(DataOutputStream out) throws IOException {
        BinaryFiles.writeConfig(out, config);
        out.writeInt(layout.tensors.size());
        for (Layout.Tensor t : layout.tensors) {
            out.writeUTF(t.name());
            out.writeInt(t.shape().length);
            for (int d : t.shape()) out.writeInt(d);
            BinaryFiles.writeFloats(out, Layout.flatten(rows, t));
        }
    }

    static GptModel readBody(DataInputStream in, int version) throws IOException {
        GptConfig config = BinaryFiles.readConfig(in);
        Layout layout = new Layout(config);
        int count = in.readInt();
        if (count != layout.tensors.size()) {
            throw new IllegalArgumentException(count + " tensors where " + layout.tensors.size() + " were expected");
        }
        float[][] p = layout.newRows();
        for (Layout.Tensor t : layout.tensors) {
            String name = in.readUTF();
            int rank = in.readInt();
            int[] shape = new int[rank];
            for (int i = 0; i < rank; i++) shape[i] = in.readInt();
            if (!name.equals(t.name()) || !Arrays.equals(shape, t.shape())) {
                throw new IllegalArgumentException("tensor " + name + Arrays.toString(shape) + " where "
                        + t.name() + Arrays.toString(t.shape()) + " was expected");
            }
            Layout.unflatten(BinaryFiles.readFloats(in, t.size()), p, t);
        }
        return new GptModel(config, p);
    }

    /** The model's shape. */
    public GptConfig config() {
        return config;
    }

    /** Number of parameters. */
    public int parameterCount() {
        return layout.size;
    }

    /** Names of the tensors in file order ({@code wte.weight}, {@code wpe.weight}, {@code h.0.ln_1.weight}, ...). */
    public List<String> tensorNames() {
        List<String> names = new ArrayList<>();
        for (Layout.Tensor t : layout.tensors) names.add(t.name());
        return names;
    }

    /** A copy of one tensor's values, e.g. {@code model.tensor("wte.weight")}. */
    public float[] tensor(String name) {
        return Layout.flatten(rows, find(name));
    }

    /** Replaces one tensor's values (e.g. when importing GPT-2 weights); the length must match. */
    public void setTensor(String name, float[] values) {
        Layout.Tensor t = find(name);
        if (values.length != t.size()) {
            throw new IllegalArgumentException(name + " has " + t.size() + " values, got " + values.length);
        }
        Layout.unflatten(values, rows, t);
        refreshTransposed();
    }

    /** An independent copy. */
    public GptModel copy() {
        float[][] p = new float[rows.length][];
        for (int i = 0; i < p.length; i++) p[i] = rows[i].clone();
        return new GptModel(config, p);
    }

    /** Whether both models have the same config and bit-identical weights. */
    public boolean sameWeights(GptModel other) {
        return config.equals(other.config) && Arrays.deepEquals(rows, other.rows);
    }

    private Layout.Tensor find(String name) {
        for (Layout.Tensor t : layout.tensors) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("no tensor named " + name);
    }

    void refreshTransposed() {
        layout.transpose(rows, transposedRows);
    }
}
