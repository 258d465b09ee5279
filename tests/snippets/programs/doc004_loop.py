# doc 004: the loop program (claim C029)
in_1 = 1
in_2 = 2
name = 'foo'
v1 = tf.get_variable('foo/var1', [1])
for idx in range(2):
    with tf.variable_scope(name, 'V0', [in_1, in_2]) as scope:
        with tf.name_scope("bar"):
            scope.reuse_variables()
            v1 = tf.get_variable("var1", [1])
            v2 = tf.Variable(initial_value=[2.], name='var2', dtype=tf.float32)
            v3 = tf.Variable(initial_value=[2.], name='var2', dtype=tf.float32)
    with tf.Session() as sess:
        print('##ID: {}##'.format(idx))
        print('v1 name: {}'.format(v1.name))
        print('v2 name: {}'.format(v2.name))
        print('v3 name: {}'.format(v3.name))
