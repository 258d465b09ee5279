"""TensorFlow's checkpoint file formats, implemented from their specifications.

One concept per module, bottom up:

- `crc32c`: the Castagnoli CRC and TensorFlow's masking of it;
- `wire`: the protocol-buffers wire format (varints, keys, length-delimited fields);
- `proto`: declarative messages (a schema table per message) over `wire`;
- `messages`: the TensorFlow messages a checkpoint needs (bundle entries, MetaGraphDef …);
- `table`: the leveldb-format sorted string table that a ``.index`` file is;
- `bundle`: the V2 tensor bundle (``PREFIX.index`` + ``PREFIX.data-00000-of-00001``);
- `checkpoint_state`: the text-format ``checkpoint`` file that lists the checkpoints.

Nothing here imports tensorflow; the tests check byte for byte against files it wrote.
"""
