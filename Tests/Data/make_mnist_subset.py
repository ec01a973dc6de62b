"""Writes the MNIST subset the test suite carries: the first 3,000 training and the first 1,000
test images with their labels, in the standard gzip IDX format, from a full copy of MNIST.

    python3 Tests/Data/make_mnist_subset.py FULL_MNIST_DIR Tests/Data/mnist

The gzip streams carry no file name and a zero time stamp, so the output is the same every time.
"""
import gzip
import struct
import sys

COUNTS = {"train": 3000, "t10k": 1000}


def read(path):
    with gzip.open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
            f.write(data)


def main(source, target):
    for prefix, count in COUNTS.items():
        images = read(f"{source}/{prefix}-images-idx3-ubyte.gz")
        magic, total, rows, cols = struct.unpack(">IIII", images[:16])
        assert magic == 2051 and total >= count
        write(f"{target}/{prefix}-images-idx3-ubyte.gz",
              struct.pack(">IIII", magic, count, rows, cols) + images[16:16 + count * rows * cols])
        labels = read(f"{source}/{prefix}-labels-idx1-ubyte.gz")
        magic, total = struct.unpack(">II", labels[:8])
        assert magic == 2049 and total >= count
        write(f"{target}/{prefix}-labels-idx1-ubyte.gz", struct.pack(">II", magic, count) + labels[8:8 + count])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
