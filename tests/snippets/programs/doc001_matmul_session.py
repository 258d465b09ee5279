# doc 001: matmul in a session; a closed session cannot run (claims C031, C032)
matrix1 = tf.constant([[3., 3.]])
matrix2 = tf.constant([[2.], [2.]])
product = tf.matmul(matrix1, matrix2)
print(len(tf.get_default_graph().get_operations()))
sess = tf.Session()
print(sess.run(product))
sess.close()
with tf.Session() as sess:
    print(sess.run(product))
try:
    sess.run(product)
except RuntimeError as e:
    print(type(e).__name__, e)
config = tf.ConfigProto(log_device_placement=False, allow_soft_placement=True)
config.gpu_options.allow_growth = True
with tf.Session(config=config) as sess:
    print(sess.run(product))
