# doc 001: tf.group returns None; placeholders with a None batch; fetch by name (C037, C040)
b = tf.random_uniform([2, 3], minval=10, maxval=11)
w = tf.random_uniform([2, 3], minval=10, maxval=11)
mul = tf.multiply(w, 2)
add = tf.add(w, 2)
group = tf.group(mul, add)
with tf.Session() as sess:
    print(sess.run(group))
    v = sess.run(b)
    print(v.shape, bool(((v >= 10) & (v < 11)).all()))
x_hld = tf.placeholder(tf.float32, [None, 320, 240, 3], name='x_hld')
y_hld = tf.placeholder(tf.int64, [None, 10], name='y_hld')
print(x_hld)
print(y_hld.shape.as_list())
s = x_hld * 2
with tf.Session() as sess:
    import numpy as np
    out = sess.run(s, feed_dict={x_hld: np.ones([2, 320, 240, 3])})
    print(out.shape, out.dtype)
    try:
        sess.run(s)
    except tf.errors.InvalidArgumentError as e:
        print(type(e).__name__, "You must feed a value for placeholder tensor 'x_hld'" in e.message)
x = tf.placeholder(tf.float32, name='x')
y = tf.placeholder(tf.float32, name='y')
bb = tf.Variable(3.0, name='b')
op = tf.add(tf.multiply(x, y), bb, name='op_to_store')
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run('b:0'))
    input_x = sess.graph.get_tensor_by_name('x:0')
    input_y = sess.graph.get_tensor_by_name('y:0')
    op = sess.graph.get_tensor_by_name('op_to_store:0')
    add_on_op = tf.multiply(op, 2)
    print(sess.run(add_on_op, {input_x: 5, input_y: 5}))
