# doc 000 §一.2: get_variable inside variable_scope with reuse False / True (claims C001-C004)
def first_line(e):
    return type(e).__name__ + ": " + str(e).split(" Originally defined at")[0]

with tf.variable_scope("foo", reuse=False):
    v = tf.get_variable("v", [1], initializer=tf.constant_initializer(1.0))
print(v.name)
try:
    with tf.variable_scope("foo"):
        v1 = tf.get_variable("v", [1])
except ValueError as e:
    print(first_line(e))
with tf.variable_scope("foo", reuse=True):
    v1 = tf.get_variable("v", [1])
print(v1 == v)
try:
    with tf.variable_scope("bar", reuse=True):
        tf.get_variable("v", [1])
except ValueError as e:
    print(first_line(e))
