# doc 000 §二.1-3: tf.Variable renames, get_variable raises, name_scope (claims C005-C008)
a1 = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
a2 = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
print(a1)
print(a2)
print(a1 == a2)
a3 = tf.get_variable("a", shape=[1], initializer=tf.constant_initializer(1.0))
try:
    a4 = tf.get_variable("a", shape=[1], initializer=tf.constant_initializer(1.0))
except ValueError as e:
    print(str(e).split(" Originally defined at")[0])
a = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
with tf.name_scope('layer2'):
    a1 = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
    a2 = tf.Variable(tf.constant(1.0, shape=[1]), name="a")
    a3 = tf.get_variable("b", shape=[1], initializer=tf.constant_initializer(1.0))
    try:
        tf.get_variable("b", shape=[1], initializer=tf.constant_initializer(1.0))
    except ValueError as e:
        print(str(e).split(" Originally defined at")[0])
print(a)
print(a1)
print(a2)
print(a3)
print(a1 == a2)
