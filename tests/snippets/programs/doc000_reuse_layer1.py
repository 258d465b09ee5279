# doc 000 §二.4: re-entering a variable scope with reuse=True and with reuse None (C009-C011)
with tf.variable_scope('layer1'):
    a3 = tf.get_variable("b", shape=[1], initializer=tf.constant_initializer(1.0))
with tf.variable_scope('layer1', reuse=True):
    a1 = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
    a2 = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
    a4 = tf.get_variable("b", shape=[1], initializer=tf.constant_initializer(1.0))
print(a1)
print(a2)
print(a1 == a2)
print()
print(a3)
print(a4)
print(a3 == a4)
try:
    with tf.variable_scope('layer1'):
        a5 = tf.get_variable("b", shape=[1], initializer=tf.constant_initializer(1.0))
except ValueError as e:
    print(str(e).split(" Originally defined at")[0])
with tf.variable_scope('layer1', reuse=tf.AUTO_REUSE):
    a6 = tf.get_variable("b", shape=[1])
    a7 = tf.get_variable("c", shape=[1])
print(a6 == a3, a7.name)
