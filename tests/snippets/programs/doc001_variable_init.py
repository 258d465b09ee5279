# doc 001: initial values from random_normal, zeros, initialized_value, a list (C035, C036, C039)
weights = tf.Variable(tf.random_normal(shape=[784, 200], stddev=0.35), name="weights")
biases = tf.Variable(tf.zeros(shape=[200]), name="biases")
weights2 = tf.Variable(weights.initialized_value(), name="weights2")
weights3 = tf.Variable([1.0, 2.0, 5.0, 3.5], name="weights3")
print(weights, biases, weights2, weights3, sep="\n")
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    w, w2, b, w3 = sess.run([weights, weights2, biases, weights3])
    print(w.shape, w.dtype, bool((w == w2).all()), b.sum(), w3)
    print(abs(float(w.std()) - 0.35) < 0.01)
print(tf.zeros([3, 4]).shape)
tf.reset_default_graph()
v = tf.Variable(tf.constant(0.0, shape=[1], dtype=tf.float32), name='v')
v1 = tf.Variable(tf.constant(5, shape=[1], dtype=tf.float32), name='v1')
global_step = tf.Variable(tf.constant(5, shape=[1], dtype=tf.float32), name='global_step',
                          trainable=False)
for ele1 in tf.trainable_variables():
    print(ele1.name)
for ele2 in tf.all_variables():
    print(ele2.name)
