package org.fftk.exporter.fflib;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

/**
 * Reads the pickle of a PyTorch checkpoint into plain Java data, never running anything from the
 * file (docs/algorithms.md "Importing FFLib checkpoints"). Every global the pickle names goes
 * through {@link #global}: the few functions torch uses to rebuild tensors and containers become
 * Java code that builds data, classes of torch.nn, torch.optim, FFLib and a training script's
 * {@code __main__} become {@link ClassDict}s (the class name plus the object's attributes), and any
 * other global is refused with its name. Opcodes that name classes outside that path (INST, the
 * extension registry) are refused too, and every length read from the pickle is checked against
 * the bytes left before anything is allocated.
 */
final class RestrictedUnpickler extends Unpickler {
    /** A storage named by a persistent id: ('storage', type, key, location, numel). */
    static final class StorageRef {
        final String dtype;
        final String key;
        final long numel;

        StorageRef(String dtype, String key, long numel) {
            this.dtype = dtype;
            this.key = key;
            this.numel = numel;
        }
    }

    /** A tensor as torch rebuilds it: a view (offset, size, stride) of a storage. */
    static final class TensorRef {
        final StorageRef storage;
        final long offset;
        final long[] size;
        final long[] stride;

        TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
            this.storage = storage;
            this.offset = offset;
            this.size = size;
            this.stride = stride;
        }
    }

    /** The element type a storage class stands for ({@code torch.FloatStorage} → "float32"). */
    private static final class StorageType {
        final String dtype;

        StorageType(String dtype) {
            this.dtype = dtype;
        }
    }

    /** collections.OrderedDict; attributes set on it (a state_dict's {@code _metadata}) are dropped. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        public void __setstate__(HashMap<String, Object> attributes) {
            // the pickle's BUILD on an OrderedDict: nothing fftk reads
        }
    }

    private static final Map<String, String> STORAGES = Map.of("FloatStorage", "float32", "DoubleStorage", "float64",
            "HalfStorage", "float16", "BFloat16Storage", "bfloat16", "LongStorage", "int64", "IntStorage", "int32",
            "ShortStorage", "int16", "CharStorage", "int8", "ByteStorage", "uint8", "BoolStorage", "bool");

    /** Module prefixes whose classes are read as attribute maps (their code is never needed). */
    private static final String[] CLASS_MODULES = {"fflib.", "torch.nn.modules.", "torch.optim.", "__main__"};

    private final ByteArrayInputStream bytes;

    private RestrictedUnpickler(ByteArrayInputStream bytes) {
        this.bytes = bytes;
    }

    /** The object the pickle in {@code data} describes. */
    static Object read(byte[] data) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        RestrictedUnpickler u = new RestrictedUnpickler(in);
        try {
            return u.load(in);
        } catch (PickleException | ClassCastException | IndexOutOfBoundsException | NullPointerException e) {
            throw new IOException("unreadable pickle: " + e.getMessage(), e);
        } finally {
            u.close();
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(global(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                String name = (String) stack.pop();
                String module = (String) stack.pop();
                stack.add(global(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST:
            case Opcodes.EXT1:
            case Opcodes.EXT2:
            case Opcodes.EXT4:
                throw new PickleException("refused opcode " + key + " (not used by torch.save)");
            case Opcodes.BINSTRING:
            case Opcodes.BINUNICODE:
            case Opcodes.BINBYTES:
            case Opcodes.LONG4:
                checkLength(4);
                break;
            case Opcodes.BINUNICODE8:
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8:
                checkLength(8);
                break;
            default:
                break;
        }
        return super.dispatch(key);
    }

    /** Refuses a length prefix (little-endian, {@code n} bytes) larger than the bytes left after it. */
    private void checkLength(int n) throws IOException {
        bytes.mark(n);
        long len = 0;
        for (int i = 0; i < n; i++) {
            int b = bytes.read();
            if (b < 0) {
                throw new PickleException("truncated pickle");
            }
            len |= (long) b << (8 * i);
        }
        int left = bytes.available();
        bytes.reset();
        if (len < 0 || len > left) {
            throw new PickleException("a length of " + len + " bytes with " + left + " left (truncated or damaged)");
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        Object[] t = (Object[]) pid;
        if (t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType)) {
            throw new PickleException("unknown persistent id (not a torch storage)");
        }
        long numel = ((Number) t[4]).longValue();
        if (numel < 0) {
            throw new PickleException("negative storage size");
        }
        return new StorageRef(((StorageType) t[1]).dtype, String.valueOf(t[2]), numel);
    }

    /** What a global of the pickle stands for; anything not listed is refused. */
    private static Object global(String module, String name) {
        String m = module.equals("__builtin__") ? "builtins" : module;
        switch (m + "." + name) {
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                return constructor(RestrictedUnpickler::tensor);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                return constructor(a -> a[0]);
            case "collections.OrderedDict":
                return constructor(a -> new OrderedDict());
            case "collections.defaultdict":
            case "builtins.dict":
                return constructor(a -> new HashMap<>());
            case "builtins.set":
            case "builtins.frozenset":
                return constructor(a -> a.length == 0 ? new HashSet<>() : new HashSet<>((List<?>) a[0]));
            case "builtins.range":
                return constructor(a -> a);
            case "torch.device":
                return constructor(a -> String.valueOf(a[0]));
            default:
                break;
        }
        if (m.equals("torch") && STORAGES.containsKey(name)) {
            return new StorageType(STORAGES.get(name));
        }
        for (String prefix : CLASS_MODULES) {
            if (m.startsWith(prefix)) {
                String cls = m + "." + name;
                return constructor(a -> new ClassDict(m, name) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public String getClassName() {
                        return cls;
                    }
                });
            }
        }
        throw new PickleException("refused global " + m + "." + name
                + " (fftk reads torch tensors and FFLib/torch.nn objects as data, nothing else)");
    }

    private static IObjectConstructor constructor(Function<Object[], Object> f) {
        return args -> f.apply(args);
    }

    private static Object tensor(Object[] a) {
        if (!(a[0] instanceof StorageRef)) {
            throw new PickleException("a tensor without a storage");
        }
        return new TensorRef((StorageRef) a[0], ((Number) a[1]).longValue(), longs(a[2]), longs(a[3]));
    }

    private static long[] longs(Object tuple) {
        List<Object> l = new ArrayList<>();
        if (tuple instanceof Object[]) {
            l.addAll(java.util.Arrays.asList((Object[]) tuple));
        } else if (tuple instanceof List) {
            l.addAll((List<?>) tuple);
        } else {
            throw new PickleException("a tensor's size or stride is not a tuple");
        }
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ((Number) l.get(i)).longValue();
        }
        return r;
    }
}
