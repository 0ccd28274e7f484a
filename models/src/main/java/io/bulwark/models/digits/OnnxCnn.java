package io.bulwark.models.digits;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Writes the digit network as an ONNX graph (opset 13) for ONNX Runtime, in one of the {@link Variant}s:
 * <pre>
 * pixels [N, 784] → Reshape [N, 1, 28, 28] → (Conv 3×3 → Relu) × blocks[0] → MaxPool 2 → … → (Conv 3×3 → Relu)
 *   × blocks[last] → MaxPool 2 → Flatten → Gemm → Relu → Gemm → Softmax → probabilities [N, 10]
 * </pre>
 * ({@link CnnWeights#blocks()}: v1 has one convolution per block, two blocks; a batch normalisation the trainer used
 * is already folded into the convolutions).
 * fp16 stores every weight as half precision, widened by a {@code Cast}; int8 stores the convolution kernels and
 * linear weights as int8 with one fp32 scale per output channel (symmetric, zero point 0), widened by
 * {@code DequantizeLinear}, and keeps the biases (0.1 % of the values) in fp32.
 */
public final class OnnxCnn {

    /** The graph's input: a batch of 784 ink levels. */
    public static final String INPUT = "pixels";
    /** The graph's output: a batch of 10 probabilities. */
    public static final String OUTPUT = "probabilities";
    private static final int OPSET = 13;

    private OnnxCnn() {
    }

    /** Returns the serialised ONNX model of {@code weights} in {@code variant}; {@code producer} names the trainer. */
    public static byte[] write(CnnWeights weights, Variant variant, String producer) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("bulwark_digits_" + variant.wire());
        g.addInput(valueInfo(INPUT, "N", 784));
        g.addOutput(valueInfo(OUTPUT, "N", 10));
        g.addInitializer(int64("shape", new long[]{4}, new long[]{-1, 1, 28, 28}));
        Map<String, CnnWeights.Tensor> t = weights.tensors();
        for (String name : t.keySet()) {
            weight(g, name, t.get(name), variant);
        }
        g.addNode(node("Reshape", new String[]{INPUT, "shape"}, "x0"));
        String x = "x0";
        int conv = 0;
        for (int block = 1; block <= weights.blocks().size(); block++) {
            for (int i = 0; i < weights.blocks().get(block - 1); i++) {
                conv++;
                g.addNode(node("Conv", new String[]{x, "conv" + conv + ".weight", "conv" + conv + ".bias"},
                        "c" + conv, ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)));
                g.addNode(node("Relu", new String[]{"c" + conv}, "r" + conv));
                x = "r" + conv;
            }
            g.addNode(node("MaxPool", new String[]{x}, "p" + block, ints("kernel_shape", 2, 2),
                    ints("strides", 2, 2)));
            x = "p" + block;
        }
        g.addNode(node("Flatten", new String[]{x}, "f", AttributeProto.newBuilder().setName("axis")
                .setType(AttributeProto.AttributeType.INT).setI(1).build()));
        g.addNode(node("Gemm", new String[]{"f", "fc1.weight", "fc1.bias"}, "h", transB()));
        g.addNode(node("Relu", new String[]{"h"}, "hr"));
        g.addNode(node("Gemm", new String[]{"hr", "fc2.weight", "fc2.bias"}, "logits", transB()));
        g.addNode(node("Softmax", new String[]{"logits"}, OUTPUT, AttributeProto.newBuilder().setName("axis")
                .setType(AttributeProto.AttributeType.INT).setI(1).build()));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName(producer).setModelVersion(1)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g).build().toByteArray();
    }

    /** Adds the weight {@code name} so that a float tensor of that name exists in the graph. */
    private static void weight(GraphProto.Builder g, String name, CnnWeights.Tensor t, Variant variant) {
        boolean bias = name.endsWith(".bias");
        switch (variant) {
            case FP32 -> g.addInitializer(float32(name, t.shape(), t.values()));
            case FP16 -> {
                g.addInitializer(float16(name + ".fp16", t.shape(), t.values()));
                g.addNode(node("Cast", new String[]{name + ".fp16"}, name, AttributeProto.newBuilder().setName("to")
                        .setType(AttributeProto.AttributeType.INT).setI(DataType.FLOAT_VALUE).build()));
            }
            case INT8 -> {
                if (bias) {
                    g.addInitializer(float32(name, t.shape(), t.values()));
                    return;
                }
                Quantised q = quantise(t);
                g.addInitializer(TensorProto.newBuilder().setName(name + ".int8").setDataType(DataType.INT8_VALUE)
                        .addAllDims(dims(t.shape())).setRawData(ByteString.copyFrom(q.values())).build());
                g.addInitializer(float32(name + ".scale", new long[]{q.scales().length}, q.scales()));
                g.addInitializer(TensorProto.newBuilder().setName(name + ".zero").setDataType(DataType.INT8_VALUE)
                        .addDims(q.scales().length).setRawData(ByteString.copyFrom(new byte[q.scales().length]))
                        .build());
                g.addNode(node("DequantizeLinear", new String[]{name + ".int8", name + ".scale", name + ".zero"}, name,
                        AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0)
                                .build()));
            }
        }
    }

    /** int8 values and one scale per output channel (the first axis): value ≈ int8 × scale. */
    record Quantised(byte[] values, float[] scales) {
    }

    static Quantised quantise(CnnWeights.Tensor t) {
        int channels = t.outputs();
        int per = t.values().length / channels;
        byte[] q = new byte[t.values().length];
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                max = Math.max(max, Math.abs(t.values()[i]));
            }
            float scale = max > 0 ? max / 127f : 1f;
            scales[c] = scale;
            for (int i = c * per; i < (c + 1) * per; i++) {
                q[i] = (byte) Math.clamp(Math.round(t.values()[i] / scale), -127, 127);
            }
        }
        return new Quantised(q, scales);
    }

    private static Iterable<Long> dims(long[] shape) {
        return java.util.Arrays.stream(shape).boxed().toList();
    }

    private static TensorProto float32(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE).addAllDims(dims(shape))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static TensorProto float16(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(Float.floatToFloat16(v));
        }
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT16_VALUE).addAllDims(dims(shape))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static TensorProto int64(String name, long[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return TensorProto.newBuilder().setName(name).setDataType(DataType.INT64_VALUE).addAllDims(dims(shape))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, String batch, int width) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT_VALUE)
                        .setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch))
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width)))))
                .build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto transB() {
        return AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1).build();
    }

    private static NodeProto node(String op, String[] inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_" + op).addOutput(output);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        return n.build();
    }
}
